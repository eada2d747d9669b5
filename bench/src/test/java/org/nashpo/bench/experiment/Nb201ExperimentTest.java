package org.nashpo.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nashpo.bench.Nb201Fixture;
import org.nashpo.bench.command.SynthBench;
import org.nashpo.bench.optim.Algorithm;
import org.nashpo.bench.optim.Domain;
import org.nashpo.bench.optim.Optimizer;
import org.nashpo.bench.optim.OptimizerRun;
import org.nashpo.bench.optim.Restriction;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;
import org.nashpo.bench.query.SessionResult;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.core.spec.BenchmarkSpec;

/** The optimizers and the experiment on benchmarks of NAS-Bench-201's space (K = 5 operations). */
class Nb201ExperimentTest {

    private static final SearchSpace NB201 = SearchSpace.NAS_BENCH_201;
    private static Benchmark bench;

    @BeforeAll
    static void open() {
        bench = Nb201Fixture.open();
    }

    @Test
    void theSpaceOfAFullBenchmarkIsTheJointSpaceOfItsFiveOperations() {
        BenchmarkSpace space = BenchmarkSpace.of(bench);

        assertThat(space.space()).isSameAs(Domain.joint(NB201));
        assertThat(space.space().count()).isEqualTo(750_000);
        assertThat(space.operations()).containsExactly(Op.ZERO, Op.SKIP, Op.CONV1X1, Op.CONV3X3, Op.AVGPOOL3X3);
        assertThat(space.seeds()).containsExactly(Nb201Fixture.TRAINING_SEED);
    }

    static Stream<Arguments> algorithmsAndRestrictions() {
        List<Arguments> all = new ArrayList<>();
        for (Algorithm a : Algorithm.values()) {
            for (Restriction r : Restriction.values()) {
                if (r == Restriction.JOINT || a.restrictable()) {
                    all.add(Arguments.of(a, r));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("algorithmsAndRestrictions")
    void everyOptimizerRunsOnItAndProposesOnlyConfigurationsOfItsDomain(Algorithm algorithm, Restriction restriction) {
        Domain joint = Domain.joint(NB201);
        SplittableRandom rng = new SplittableRandom(11);
        Domain domain = joint.restrict(restriction, joint.random(rng));
        Optimizer optimizer = algorithm.create(rng, domain);
        List<Integer> asked = new ArrayList<>();

        SessionResult result = OptimizerRun.result(OptimizerRun.run(bench, optimizer, 20_000,
                Nb201Fixture.TRAINING_SEED, (index, epochs, accuracy, cost) -> asked.add(index)));

        assertThat(asked).hasSizeGreaterThan(10).allSatisfy(index -> assertThat(domain.contains(index))
                .as("%s", ConfigIndex.configuration(NB201, index)).isTrue());
        assertThat(asked.stream().distinct().count()).isGreaterThan(1);
        assertThat(result.space()).isEqualTo(NB201);
        assertThat(domain.contains(result.configIndex())).isTrue();
        assertThat(result.configuration().cell().space()).isEqualTo(NB201);
    }

    @Test
    void anExperimentOnAPartialBenchmarkSearchesTheProductSpaceItHoldsAndItsReportNamesIt(@TempDir Path dir)
            throws IOException {
        BenchmarkSpec spec = BenchmarkSpec.parse("""
                name: nb201-partial
                space: nas-bench-201
                data:
                  uri: /data/cifar-10
                output: /tmp/runs
                grid:
                  lrs: [0.025, 0.1]
                  batchSizes: [64, 256]
                  seeds: [222, 555]
                schedules:
                  - epochs: 4
                    cells: {operations: [zero, skip, conv3x3]}
                  - epochs: 12
                    cells: ['3|33|333']
                """, URI.create("file:/specs/nb201-partial.yaml"));
        Path path = dir.resolve("bench");
        SynthBench.Result written = SynthBench.run(path, 5, spec);
        Benchmark partial = Benchmark.open(path);
        BenchmarkSpace space = BenchmarkSpace.of(partial);

        assertThat(written.text()).contains("space            [zero, skip, conv1x1, conv3x3, avgpool3x3] "
                + "(nas-bench-201)").contains(String.format("runs (4 epochs)  %,d (%,d diverged)", written.runs(),
                written.divergedRuns()));
        assertThat(written.longEpochs()).isEqualTo(12);
        assertThat(written.predictions()).isEqualTo(15_625 * 4);
        assertThat(partial.manifest().getProvenance()).containsEntry("spec", "nb201-partial")
                .containsEntry("specHash", spec.specHash());
        assertThat(space.operations()).containsExactly(Op.ZERO, Op.SKIP, Op.CONV3X3);
        assertThat(space.space().count()).isEqualTo(729 * 2 * 2);
        assertThat(space.seeds()).containsExactly(222, 555);
        // a key it does not hold is named as its users name cells: cellcode and architecture string
        int conv1x1 = partial.indexOf(new Configuration(partial.cell("2|22|222"), 0.1, 64));
        assertThatThrownBy(() -> partial.accuracy(conv1x1, Mode.VALID, 4, 222))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not hold 2|22|222 "
                        + "|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|"
                        + "nor_conv_1x1~2| lr=0.1 batch=64 seed=222 in runs-4");

        String arch = "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|nor_conv_3x3~0|none~1|nor_conv_3x3~2|";
        Experiment.Settings settings = new Experiment.Settings(Optimize.parseAlgorithms("rs,rea,bohb,asng,rea/nas,"
                + "rs/hpo"), 3, 3_000, 1, 2, Optional.of(Optimize.parseFixed(arch + ",0.1,64")));
        Path out = dir.resolve("report");
        Optimize.Result r = Optimize.run(path, out, settings, (done, total) -> { });

        String named = "cells made of [zero, skip, conv3x3] only, of the cell space [zero, skip, conv1x1, conv3x3, "
                + "avgpool3x3] (5 operations per edge, 15,625 cellcodes) in the nas-bench-201 network";
        assertThat(r.space()).isEqualTo(named);
        assertThat(r.text()).contains("space      " + named);
        assertThat(Files.readString(out.resolve(Report.HTML))).contains(named);
        List<String> trajectories = Files.readAllLines(out.resolve(Report.TRAJECTORIES));
        assertThat(trajectories.get(0))
                .startsWith("algorithm,run,seed,time_s,config_index,cellcode,arch,learning_rate,");
        assertThat(trajectories).hasSizeGreaterThan(6);
        for (String line : trajectories.subList(1, trajectories.size())) {
            String[] f = line.split(",");
            assertThat(NB201.parse(f[6])).as(line).isEqualTo(NB201.parse(f[5]));
            assertThat(f[5]).as(line).matches("[013|]{8}");
            assertThat(ConfigIndex.configuration(NB201, Integer.parseInt(f[4])).cell()).hasToString(f[5]);
            if (f[0].equals("rea/nas")) {
                assertThat(f[7] + "," + f[8]).isEqualTo("0.1,64");
            } else if (f[0].equals("rs/hpo")) {
                assertThat(f[6]).isEqualTo(arch);
            }
        }
        assertThatThrownBy(() -> Experiment.run(partial, new Experiment.Settings(settings.algorithms(), 1, 100, 1, 1,
                Optional.of(Optimize.parseFixed("2|22|222,0.1,64"))), (d, t) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fixed: 2|22|222,0.1,64 is not in "
                        + "the space the benchmark's runs search");
        assertThatThrownBy(() -> Experiment.run(partial, new Experiment.Settings(settings.algorithms(), 1, 100, 1, 1,
                Optional.of(Optimize.parseFixed("5|55|555,0.1,64"))), (d, t) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fixed: cellcode \"5|55|555\"");
    }
}
