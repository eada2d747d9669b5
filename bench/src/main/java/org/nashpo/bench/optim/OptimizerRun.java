package org.nashpo.bench.optim;

import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;
import org.nashpo.bench.query.Session;
import org.nashpo.bench.query.SessionResult;
import org.nashpo.core.bench.BenchmarkLayout;

/**
 * One run of the paper's protocol (PROTOCOL.md §5): the optimizer reads 12-epoch valid accuracy,
 * each evaluation charges its 12-epoch train+valid time, and it goes on while the total is below
 * the budget — the query that crosses the budget still counts, as in the original scripts. The
 * result is the best-valid configuration's 12-epoch test and 200-epoch accuracy.
 */
public final class OptimizerRun {

    /** The paper's budget: simulated seconds. */
    public static final double PAPER_BUDGET_SECONDS = 20_000;

    private OptimizerRun() {
    }

    /**
     * @param seed the benchmark's training seed whose results the run reads (222, 555 or 888)
     * @return the session, holding the log and the result
     */
    public static Session run(Benchmark bench, Optimizer optimizer, double budgetSeconds, int seed) {
        if (!(budgetSeconds > 0) || Double.isInfinite(budgetSeconds)) {
            throw new IllegalArgumentException("budget: must be a finite number of seconds > 0, was " + budgetSeconds);
        }
        bench.seedIndex(seed);
        Session session = bench.newSession();
        while (session.totalCost() < budgetSeconds) {
            int index = optimizer.ask();
            double accuracy = session.query(index, Mode.VALID, BenchmarkLayout.SHORT_EPOCHS, seed);
            optimizer.tell(index, accuracy);
        }
        return session;
    }

    /** {@link #run} and its result. */
    public static SessionResult result(Benchmark bench, Optimizer optimizer, double budgetSeconds, int seed) {
        return run(bench, optimizer, budgetSeconds, seed).result();
    }
}
