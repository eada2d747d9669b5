package org.nashpo.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.bench.SyntheticFixture;
import org.nashpo.bench.optim.Domain;
import org.nashpo.bench.optim.Optimizer;
import org.nashpo.bench.optim.OptimizerProvider;
import org.nashpo.bench.optim.OptimizerRun;
import org.nashpo.bench.optim.OptimizerSpec;
import org.nashpo.bench.optim.RandomSearch;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;
import org.nashpo.bench.query.SessionResult;

/** The experiment runner and its report on the full-size synthetic benchmark. */
class ExperimentTest {

    private static Benchmark bench;

    @BeforeAll
    static void open() {
        bench = SyntheticFixture.open();
    }

    private static Experiment.Settings settings(String algorithms, int runs, int threads) {
        return new Experiment.Settings(Optimize.parseAlgorithms(algorithms), runs, 20_000, 7, threads,
                Optional.empty());
    }

    @Test
    void runsAreReproducibleWhateverTheThreads() {
        ExperimentResult one = Experiment.run(bench, settings("rea,bohb,asng,rs/nas", 6, 1), (d, t) -> { });
        ExperimentResult two = Experiment.run(bench, settings("rea,bohb,asng,rs/nas", 6, 2), (d, t) -> { });

        for (int a = 0; a < one.algorithms(); a++) {
            for (int r = 0; r < 6; r++) {
                Trajectory x = one.trajectories(a).get(r);
                Trajectory y = two.trajectories(a).get(r);
                assertThat(x.size()).isEqualTo(y.size());
                assertThat(x.evaluations()).isEqualTo(y.evaluations());
                assertThat(x.config(x.last())).isEqualTo(y.config(y.last()));
            }
        }
    }

    @Test
    void aTrajectoryIsTheRunsIncumbentAndEndsAtItsResult() {
        ExperimentResult result = Experiment.run(bench, settings("rs,hb", 3, 2), (d, t) -> { });

        for (int a = 0; a < 2; a++) {
            for (Trajectory t : result.trajectories(a)) {
                assertThat(t.seed()).isEqualTo(List.of(222, 555, 888).get(t.run() % 3));
                for (int i = 1; i < t.size(); i++) {
                    assertThat(t.time(i)).isGreaterThan(t.time(i - 1));
                    assertThat(t.valid(i)).isGreaterThan(t.valid(i - 1));
                }
                int last = t.last();
                assertThat(t.test12(last)).isEqualTo(bench.accuracy(t.config(last), Mode.TEST, 12, t.seed()));
                assertThat(t.at(t.time(0) - 1e-9)).isEqualTo(-1);
                assertThat(t.at(t.time(last) + 1e-9)).isEqualTo(last);
                assertThat(t.totalCost()).isGreaterThanOrEqualTo(20_000);
            }
        }
        // random search's trajectory ends where OptimizerRun's result does: the same run, replayed
        Trajectory rs = result.trajectories(0).get(1);
        SessionResult replay = OptimizerRun.result(bench,
                OptimizerSpec.parse("rs").create(Experiment.rng(7, OptimizerSpec.parse("rs"), 1), OptionalInt.empty(),
                        Domain.joint(bench.space())),
                20_000, 555);
        assertThat(replay.configIndex()).isEqualTo(rs.config(rs.last()));
        assertThat(replay.queries()).isEqualTo(rs.evaluations());
    }

    @Test
    void theSummaryRanksAndTestsAgainstTheBest() {
        ExperimentResult result = Experiment.run(bench, settings("rs,rea,rs-rea", 30, 2), (d, t) -> { });

        List<AlgorithmSummary> summaries = result.summaries();
        int best = result.best();
        assertThat(summaries.get(best).wilcoxonP()).isNaN();
        for (int a = 0; a < summaries.size(); a++) {
            AlgorithmSummary s = summaries.get(a);
            assertThat(s.meanRegret12()).isGreaterThanOrEqualTo(summaries.get(best).meanRegret12());
            assertThat(s.finalRank()).isBetween(1.0, 3.0);
            if (a != best) {
                assertThat(s.wilcoxonP()).isBetween(0.0, 1.0);
            }
        }
        double rankSum = summaries.stream().mapToDouble(AlgorithmSummary::finalRank).sum();
        assertThat(rankSum).isCloseTo(6.0, org.assertj.core.api.Assertions.within(1e-9));
        // every run has a result long before the budget ends, so the last grid ranks are the final ones
        ExperimentResult.Curves c = result.curves();
        for (int a = 0; a < 3; a++) {
            assertThat(c.rank()[ExperimentResult.GRID_POINTS - 1][a]).isEqualTo(summaries.get(a).finalRank());
            assertThat(c.withResult()[a][ExperimentResult.GRID_POINTS - 1]).isEqualTo(30);
        }
    }

    @Test
    void theReportIsWrittenWholeAndNeverOverAnExistingDirectory(@TempDir Path dir) throws Exception {
        AtomicInteger progress = new AtomicInteger();
        Path out = dir.resolve("report");
        Optimize.Result r = Optimize.run(SyntheticFixture.shared(), out, settings("rs,reinforce", 4, 2),
                (done, total) -> progress.set(done));

        assertThat(progress.get()).isEqualTo(8);
        assertThat(r.algorithms()).extracting(AlgorithmSummary::algorithm).containsExactly("rs", "reinforce");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("trajectories.csv",
                    "summary.csv", "curves.csv", "regret.png", "regret.svg", "accuracy.png", "accuracy.svg",
                    "rank.png", "rank.svg", "report.html");
        }
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings).containsExactly(out);
        }
        assertThat(Files.readAllLines(out.resolve("summary.csv"))).hasSize(3);
        assertThat(Files.readString(out.resolve("regret.svg"))).contains("<svg");
        byte[] png = Files.readAllBytes(out.resolve("regret.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(Files.readString(out.resolve("report.html"))).contains("reinforce").contains("regret.svg");
        long rows = Files.readAllLines(out.resolve("trajectories.csv")).size() - 1;
        Path again = out;
        assertThatThrownBy(() -> Optimize.run(SyntheticFixture.shared(), again, settings("rs", 1, 1), (d, t) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        assertThat(rows).isPositive();
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> settings("rs", 0, 1)).hasMessageContaining("runs");
        assertThatThrownBy(() -> settings("rs,rea,rs", 1, 1)).hasMessageContaining("\"rs\" is named twice");
        assertThatThrownBy(() -> settings("rs,,rea", 1, 1)).hasMessageContaining("empty name");
        assertThatThrownBy(() -> settings("rs,sgd", 1, 1)).hasMessageContaining("\"sgd\"");
        assertThatThrownBy(() -> Optimize.parseFixed("0|10|210,0.3,64")).hasMessageContaining("0.3");
        assertThat(Optimize.parseAlgorithms("all")).hasSize(13);
    }

    @Test
    void anOptimizerOfOnesOwnJoinsTheReportWithoutChangingTheBuiltInOnesRuns() {
        OptimizerProvider mine = new OptimizerProvider() {
            @Override
            public String label() {
                return "mine";
            }

            @Override
            public Optimizer create(SplittableRandom rng, Domain domain) {
                return new RandomSearch(rng, domain);
            }
        };
        ExperimentResult builtIn = Experiment.run(bench, settings("rs,rea", 4, 2), (d, t) -> { });
        ExperimentResult both = Experiment.run(bench, new Experiment.Settings(Optimize.parseAlgorithms("rs,rea,mine",
                List.of(mine)), 4, 20_000, 7, 2, Optional.empty()), (d, t) -> { });

        assertThat(both.summaries()).extracting(AlgorithmSummary::algorithm).containsExactly("rs", "rea", "mine");
        for (int a = 0; a < 2; a++) {
            for (int r = 0; r < 4; r++) {
                Trajectory x = builtIn.trajectories(a).get(r);
                Trajectory y = both.trajectories(a).get(r);
                assertThat(y.evaluations()).isEqualTo(x.evaluations());
                assertThat(y.config(y.last())).isEqualTo(x.config(x.last()));
            }
        }
        assertThatThrownBy(() -> new Experiment.Settings(List.of(OptimizerSpec.of(mine), OptimizerSpec.of(mine)), 1,
                1, 0, 1, Optional.empty())).hasMessageContaining("each may be named once");
    }
}
