package org.nashpo.bench.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nashpo.bench.SyntheticFixture;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.LogEntry;
import org.nashpo.bench.query.Mode;
import org.nashpo.bench.query.Session;
import org.nashpo.bench.query.SessionResult;
import org.nashpo.core.grid.HpGrid;

/** The paper's protocol on the full-size synthetic benchmark. */
class OptimizerRunTest {

    private static final int RUNS = 100;
    private static Benchmark bench;
    /** Best 12-epoch test accuracy at each seed: the optimum regret is measured against. */
    private static final double[] BEST_TEST = new double[3];

    @BeforeAll
    static void open() {
        bench = SyntheticFixture.open();
        for (int s = 0; s < 3; s++) {
            int seedIndex = s;
            bench.scan(Mode.TEST, 12, HpGrid.SEEDS.get(s),
                    (index, accuracy, cost) -> BEST_TEST[seedIndex] = Math.max(BEST_TEST[seedIndex], accuracy));
        }
    }

    @Test
    void aRunSpendsItsBudgetAndStopsAtTheQueryThatCrossesIt() {
        Session session = OptimizerRun.run(bench, new RandomSearch(new SplittableRandom(1)), 20_000, 555);

        LogEntry last = session.entry(session.size() - 1);
        assertThat(session.totalCost()).isGreaterThanOrEqualTo(20_000);
        assertThat(session.totalCost() - last.cost()).isLessThan(20_000);
        assertThat(session.log()).allMatch(e -> e.mode() == Mode.VALID && e.iepoch() == 12 && e.seed() == 555);
        // a 12-epoch train+valid run costs minutes: the budget buys tens to hundreds of them
        assertThat(session.size()).isBetween(20, 1_000);
    }

    @Test
    void aBadBudgetOrSeedIsRefused() {
        RandomSearch rs = new RandomSearch(new SplittableRandom(1));
        assertThatThrownBy(() -> OptimizerRun.run(bench, rs, 0, 222)).hasMessageContaining("budget");
        assertThatThrownBy(() -> OptimizerRun.run(bench, rs, 100, 1)).hasMessageContaining("seed 1");
    }

    @Test
    void evolutionAndLocalSearchBeatRandomSearchOnMedianRegret() {
        double rs = medianRegret(Algorithm.RANDOM_SEARCH);
        double ls = medianRegret(Algorithm.LOCAL_SEARCH);
        double rea = medianRegret(Algorithm.REA);

        assertThat(rea).as("REA vs RS (%.3f)", rs).isLessThan(rs);
        assertThat(ls).as("LS vs RS (%.3f)", rs).isLessThan(rs);
    }

    private static double medianRegret(Algorithm algorithm) {
        double[] regrets = new double[RUNS];
        for (int run = 0; run < RUNS; run++) {
            int seed = HpGrid.SEEDS.get(run % 3);
            SessionResult r = OptimizerRun.result(bench, algorithm.create(new SplittableRandom(1000 + run)),
                    OptimizerRun.PAPER_BUDGET_SECONDS, seed);
            regrets[run] = BEST_TEST[run % 3] - r.testAccuracy12();
        }
        Arrays.sort(regrets);
        return (regrets[RUNS / 2 - 1] + regrets[RUNS / 2]) / 2;
    }
}
