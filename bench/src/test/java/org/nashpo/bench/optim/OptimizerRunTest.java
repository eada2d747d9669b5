package org.nashpo.bench.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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

    private static Domain joint() {
        return Domain.joint(bench.space());
    }

    @Test
    void aRunSpendsItsBudgetAndStopsAtTheQueryThatCrossesIt() {
        Session session = OptimizerRun.run(bench, new RandomSearch(new SplittableRandom(1), joint()), 20_000, 555);

        LogEntry last = session.entry(session.size() - 1);
        assertThat(session.totalCost()).isGreaterThanOrEqualTo(20_000);
        assertThat(session.totalCost() - last.cost()).isLessThan(20_000);
        assertThat(session.log()).allMatch(e -> e.mode() == Mode.VALID && e.iepoch() == 12 && e.seed() == 555);
        // a 12-epoch train+valid run costs minutes: the budget buys tens to hundreds of them
        assertThat(session.size()).isBetween(20, 1_000);
    }

    @Test
    void aBadBudgetOrSeedIsRefused() {
        RandomSearch rs = new RandomSearch(new SplittableRandom(1), joint());
        assertThatThrownBy(() -> OptimizerRun.run(bench, rs, 0, 222)).hasMessageContaining("budget");
        assertThatThrownBy(() -> OptimizerRun.run(bench, rs, 100, 1)).hasMessageContaining("seed 1");
    }

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = "RANDOM_SEARCH", mode = EnumSource.Mode.EXCLUDE)
    void everyModelBasedOrEvolutionaryOptimizerBeatsRandomSearchOnMedianRegret(Algorithm algorithm) {
        assertThat(medianRegret(algorithm)).as("%s vs RS (%.3f)", algorithm.label(), rsRegret())
                .isLessThan(rsRegret());
    }

    @Test
    void multiFidelityRunsChargePartialEvaluationsAndReportAWholeScheduleResult() {
        Session session = OptimizerRun.run(bench, Algorithm.BOHB.create(new SplittableRandom(3), joint()), 20_000, 222);

        assertThat(session.log()).extracting(LogEntry::iepoch).contains(1, 4, 12).containsOnly(1, 4, 12);
        for (LogEntry e : session.log()) {
            assertThat(e.cost()).isEqualTo(bench.cost(e.configIndex(), Mode.VALID, e.iepoch(), 222));
        }
        SessionResult r = OptimizerRun.result(session);
        double best12 = session.log().stream().filter(e -> e.iepoch() == 12).mapToDouble(LogEntry::accuracy).max()
                .orElseThrow();
        assertThat(r.searchAccuracy()).isEqualTo(best12);
        assertThat(r.testAccuracy12()).isEqualTo(bench.accuracy(r.configIndex(), Mode.TEST, 12, 222));
    }

    private static double rsRegret;

    private static synchronized double rsRegret() {
        if (rsRegret == 0) {
            rsRegret = medianRegret(Algorithm.RANDOM_SEARCH);
        }
        return rsRegret;
    }

    private static double medianRegret(Algorithm algorithm) {
        double[] regrets = new double[RUNS];
        for (int run = 0; run < RUNS; run++) {
            int seed = HpGrid.SEEDS.get(run % 3);
            SessionResult r = OptimizerRun.result(bench, algorithm.create(new SplittableRandom(1000L + run), joint()),
                    OptimizerRun.PAPER_BUDGET_SECONDS, seed);
            regrets[run] = BEST_TEST[run % 3] - r.testAccuracy12();
        }
        Arrays.sort(regrets);
        double median = (regrets[RUNS / 2 - 1] + regrets[RUNS / 2]) / 2;
        System.out.printf("%s: median final regret %.3f over %d runs%n", algorithm.label(), median, RUNS);
        return median;
    }
}
