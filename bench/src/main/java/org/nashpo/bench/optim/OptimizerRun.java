package org.nashpo.bench.optim;

import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.LogEntry;
import org.nashpo.bench.query.Mode;
import org.nashpo.bench.query.Session;
import org.nashpo.bench.query.SessionResult;
import org.nashpo.core.format.BenchmarkLayout;

/**
 * One run of the paper's protocol (PROTOCOL.md §5): the optimizer reads valid accuracy of the
 * 12-epoch schedule after the epochs it asks for (12 except for Hyperband's and BOHB's partial
 * evaluations), each evaluation charges the train+valid time of those epochs, and it goes on while
 * the total is below the budget — the query that crosses the budget still counts, as in the
 * original scripts — or until the optimizer is done. The result is the best-valid configuration's
 * 12-epoch test and 200-epoch accuracy, the best among evaluations of the whole schedule.
 */
public final class OptimizerRun {

    /** The paper's budget: simulated seconds. */
    public static final double PAPER_BUDGET_SECONDS = 20_000;

    private OptimizerRun() {
    }

    /** Told after each evaluation of a run. */
    @FunctionalInterface
    public interface Evaluations {
        /**
         * @param configIndex the configuration evaluated
         * @param epochs the optimizer's request (12 = the whole schedule)
         * @param validAccuracy what the optimizer was told
         * @param totalCost the run's simulated seconds after it
         */
        void evaluated(int configIndex, int epochs, double validAccuracy, double totalCost);
    }

    /**
     * @param seed the benchmark's training seed whose results the run reads (222, 555 or 888)
     * @return the session, holding the log and the result
     */
    public static Session run(Benchmark bench, Optimizer optimizer, double budgetSeconds, int seed) {
        return run(bench, optimizer, budgetSeconds, seed, (index, epochs, accuracy, cost) -> { });
    }

    /** As {@link #run(Benchmark, Optimizer, double, int)}, telling {@code evaluations} each query. */
    public static Session run(Benchmark bench, Optimizer optimizer, double budgetSeconds, int seed,
            Evaluations evaluations) {
        if (!(budgetSeconds > 0) || Double.isInfinite(budgetSeconds)) {
            throw new IllegalArgumentException("budget: must be a finite number of seconds > 0, was " + budgetSeconds);
        }
        bench.seedIndex(seed);
        Session session = bench.newSession();
        while (session.totalCost() < budgetSeconds && !optimizer.done()) {
            int index = optimizer.ask();
            int epochs = optimizer.epochs();
            double before = session.totalCost();
            double accuracy = session.query(index, Mode.VALID, iepoch(epochs, bench.shortEpochs()), seed);
            double after = session.totalCost();
            optimizer.tell(index, accuracy, after - before);
            evaluations.evaluated(index, epochs, accuracy, after);
        }
        return session;
    }

    /**
     * The epochs of a benchmark whose short schedule is {@code shortEpochs} long that stand for an
     * optimizer's request of {@code epochs} of the paper's 12 (Hyperband's 1 and 4): round(e·S/12),
     * at least 1; a request for all 12 reads all S.
     */
    public static int iepoch(int epochs, int shortEpochs) {
        if (epochs == BenchmarkLayout.SHORT_EPOCHS) {
            return shortEpochs;
        }
        return (int) Math.max(1, Math.min(shortEpochs, Math.round(epochs * (double) shortEpochs
                / BenchmarkLayout.SHORT_EPOCHS)));
    }

    /** {@link #run} and its result. */
    public static SessionResult result(Benchmark bench, Optimizer optimizer, double budgetSeconds, int seed) {
        return result(run(bench, optimizer, budgetSeconds, seed));
    }

    /**
     * A session's result counting only evaluations of the whole 12-epoch schedule (the session's own
     * {@link Session#result()} counts every query, partial ones included); the first such query if
     * none is better, and an error if there is none.
     */
    public static SessionResult result(Session session) {
        Benchmark bench = session.benchmark();
        int full = bench.shortEpochs();
        int best = -1;
        double bestAccuracy = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < session.size(); i++) {
            LogEntry e = session.entry(i);
            if (e.iepoch() == full && e.accuracy() > bestAccuracy) {
                best = i;
                bestAccuracy = e.accuracy();
            }
        }
        if (best < 0) {
            throw new IllegalStateException("the run evaluated no configuration for the whole "
                    + full + "-epoch schedule; it has no result");
        }
        LogEntry e = session.entry(best);
        return new SessionResult(bench.space(), e.configIndex(), e.seed(), e.accuracy(),
                bench.accuracy(e.configIndex(), Mode.TEST, full, e.seed()),
                bench.hasLongAccuracy(e.configIndex()) ? bench.longAccuracy(e.configIndex()) : Double.NaN,
                session.size(), session.totalCost());
    }
}
