package org.nashpo.bench.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.nashpo.bench.HandBuiltBenchmark.testAccuracy;
import static org.nashpo.bench.HandBuiltBenchmark.trainAccuracy;
import static org.nashpo.bench.HandBuiltBenchmark.validAccuracy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nashpo.bench.HandBuiltBenchmark;
import org.nashpo.bench.format.ClassOrdinals;
import org.nashpo.bench.format.Metric;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/** PROTOCOL.md §4's query semantics on the hand-built benchmark, whose every value is known. */
class BenchmarkTest {

    private static final SearchSpace NHB2 = SearchSpace.NAS_HPO_BENCH_2;

    private static Benchmark bench;
    /** A class with several members; its second member is not the representative. */
    private static CellClass shared;
    private static CellCode member;

    @BeforeAll
    static void open() {
        bench = HandBuiltBenchmark.open();
        shared = NHB2.classes().stream()
                .filter(c -> c.size() >= 3 && !c.members().get(1).equals(c.representative()))
                .findFirst().orElseThrow();
        member = shared.members().get(1);
    }

    private static int index(CellCode cell, int hp) {
        return cell.index() * 48 + hp;
    }

    private static int classOf(CellCode cell) {
        return ClassOrdinals.of(NHB2).ordinal(cell.index());
    }

    @Test
    void everyMemberOfAClassAnswersWithTheClassResult() {
        int c = classOf(shared.representative());
        for (CellCode m : shared.members()) {
            assertThat(bench.accuracy(index(m, 13), Mode.VALID, 12, 555))
                    .isEqualTo(validAccuracy(c, 13, 1, 11))
                    .isEqualTo(bench.accuracy(index(shared.representative(), 13), Mode.VALID, 12, 555));
        }
        // a cell of another class answers differently
        CellClass other = NHB2.classes().get(c + 1);
        assertThat(bench.accuracy(index(other.representative(), 13), Mode.VALID, 12, 555))
                .isNotEqualTo(bench.accuracy(index(member, 13), Mode.VALID, 12, 555));
    }

    static Stream<Arguments> modesAndEpochs() {
        List<Arguments> all = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            for (int iepoch = 1; iepoch <= 12; iepoch++) {
                all.add(Arguments.of(mode, iepoch));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} iepoch {1}")
    @MethodSource("modesAndEpochs")
    void accuracyIsTheModesSplitAfterIepochEpochs(Mode mode, int iepoch) {
        int c = classOf(member);
        for (int s = 0; s < 3; s++) {
            int seed = List.of(222, 555, 888).get(s);
            float expected = switch (mode) {
                case TRAIN -> trainAccuracy(c, 30, s, iepoch - 1);
                case VALID -> validAccuracy(c, 30, s, iepoch - 1);
                case TEST -> testAccuracy(c, 30, s, iepoch - 1);
            };
            assertThat(bench.accuracy(index(member, 30), mode, iepoch, seed)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0} iepoch {1}")
    @MethodSource("modesAndEpochs")
    void costSumsTheModesPhasesOverTheFirstIepochEpochsAndIsTheStoredTotalAt12(Mode mode, int i) {
        for (int s = 0; s < 3; s++) {
            int seed = List.of(222, 555, 888).get(s);
            double train;
            double valid;
            double test;
            if (i < 12) {
                train = 10.0 * i + i * (i - 1) / 2.0 + s * i;
                valid = 2.0 * i + 0.25 * i * (i - 1);
                test = 1.0 * i + 0.125 * i * (i - 1);
            } else {
                // the totals, which the hand-built benchmark sets apart from the sums
                train = 186 + 12 * s + HandBuiltBenchmark.TOTAL_TRAIN_EXTRA;
                valid = 57 + HandBuiltBenchmark.TOTAL_TRAIN_VALID_EXTRA - HandBuiltBenchmark.TOTAL_TRAIN_EXTRA;
                test = 28.5 + HandBuiltBenchmark.TOTAL_TEST_EXTRA;
            }
            double expected = switch (mode) {
                case TRAIN -> train;
                case VALID -> train + valid;
                case TEST -> train + valid + test;
            };
            assertThat(bench.cost(index(member, 5), mode, i, seed)).isEqualTo(expected);
        }
    }

    @Test
    void queryByKeyUsesTheDefaultsOfTheOriginalApi() {
        Query q = Query.of(bench.cell(member.toString()), 0.05, 256);
        int hp = 4 * 6 + 4;

        Answer a = bench.query(q);

        assertThat(q.epoch()).isEqualTo(12);
        assertThat(q.mode()).isEqualTo(Mode.VALID);
        assertThat(q.iepoch()).isEqualTo(12);
        assertThat(q.seed()).isEqualTo(Query.DEFAULT_SEED).isEqualTo(222);
        assertThat(a.accuracy()).isEqualTo(validAccuracy(classOf(member), hp, 0, 11));
        assertThat(a.cost()).isEqualTo(OptionalDouble.of(243 + HandBuiltBenchmark.TOTAL_TRAIN_VALID_EXTRA));
        assertThat(a.seed()).isEqualTo(OptionalInt.of(222));
    }

    @Test
    void theSeedChoosesTheRunAndTheAnswerNamesIt() {
        Query q = Query.of(bench.cell(member.toString()), 0.05, 256).withSeed(888).withMode(Mode.TEST).withIepoch(3);

        Answer a = bench.query(q);

        assertThat(a.seed()).isEqualTo(OptionalInt.of(888));
        assertThat(a.accuracy()).isEqualTo(testAccuracy(classOf(member), 28, 2, 2));
        assertThat(a.accuracy()).isNotEqualTo(bench.query(q.withSeed(555)).accuracy());
    }

    @Test
    void longQueriesReturnThePredictionOfTheConfigurationAndNoCost() {
        Query q = Query.of(bench.cell(member.toString()), 0.1, 16).withEpoch(200).withMode(Mode.TRAIN);
        int index = q.configIndex();

        Answer a = bench.query(q);

        assertThat(q.iepoch()).isEqualTo(200);
        assertThat(a.accuracy()).isEqualTo(HandBuiltBenchmark.longAccuracy(index));
        assertThat(a.cost()).isEmpty();
        assertThat(a.seed()).isEmpty();
        assertThat(bench.longAccuracy(index)).isEqualTo(a.accuracy());
        // the predictions table holds one row per configuration, not per class
        assertThat(bench.longAccuracy(index(shared.representative(), 30)))
                .isEqualTo(HandBuiltBenchmark.longAccuracy(index(shared.representative(), 30)));
    }

    @Test
    void indexOrderIsCellcodeThenLearningRateThenBatchSize() {
        Query q = Query.of(bench.cell("0|00|001"), 0.00625, 32);

        assertThat(q.configIndex()).isEqualTo(48 + 6 + 1);
        assertThat(bench.configuration(0)).isEqualTo(new Configuration(NHB2.parse("0|00|000"), 0.003125, 16));
        assertThat(bench.configuration(ConfigIndex.size(NHB2) - 1))
                .isEqualTo(new Configuration(NHB2.parse("3|33|333"), 0.4, 512));
        assertThat(bench.query(q).accuracy()).isEqualTo(bench.accuracy(55, Mode.VALID, 12, 222));
    }

    @Test
    void cellsAreReadInTheBenchmarksSpaceByCellcodeOrArchitectureString() {
        CellCode byDigits = bench.cell("0|10|213");
        CellCode byArch = bench.cell("|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_3x3~1|+|skip_connect~0|"
                + "avg_pool_3x3~1|none~2|");

        assertThat(bench.space()).isEqualTo(NHB2);
        assertThat(bench.family()).isEqualTo(NetworkFamily.NAS_HPO_BENCH_2);
        assertThat(bench.configurationCount()).isEqualTo(196_608);
        assertThat(byArch).isEqualTo(byDigits).hasToString("0|10|213");
        assertThat(bench.archStrings()).isFalse();
        assertThat(bench.cellName(byArch)).isEqualTo("0|10|213");
        Query q = Query.of(byArch, 0.1, 64);
        assertThat(bench.query(q).accuracy()).isEqualTo(bench.accuracy(q.configIndex(), Mode.VALID, 12, 222));
        // a cell of another space is the cell of the same operations in the benchmark's
        CellCode inNb201 = byDigits.in(SearchSpace.NAS_BENCH_201);
        assertThat(inNb201).hasToString("3|43|140");
        assertThat(bench.indexOf(new Configuration(inNb201, 0.1, 64))).isEqualTo(q.configIndex());
        assertThat(bench.query(Query.of(inNb201, 0.1, 64)).accuracy()).isEqualTo(bench.query(q).accuracy());
        assertThatThrownBy(() -> bench.indexOf(new Configuration(SearchSpace.NAS_BENCH_201.parse("2|22|222"), 0.1,
                64))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("conv1x1");
        assertThatThrownBy(() -> bench.cell("|nor_conv_1x1~0|+|none~0|none~1|+|none~0|none~1|none~2|"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nor_conv_1x1");
    }

    static Stream<Arguments> badKeys() {
        Configuration ok = new Configuration(NHB2.parse("0|10|210"), 0.1, 64);
        return Stream.of(
                Arguments.of("cellcode", (Executable) () -> bench.cell("0|10|21x"),
                        List.of("0|10|21x", "A|BC|DEF")),
                Arguments.of("learning rate", (Executable) () -> Query.of(bench.cell("0|10|210"), 0.3, 64),
                        List.of("0.3", "0.003125, 0.00625, 0.0125, 0.025, 0.05, 0.1, 0.2, 0.4")),
                Arguments.of("batch size", (Executable) () -> Query.of(bench.cell("0|10|210"), 0.1, 100),
                        List.of("100", "16, 32, 64, 128, 256, 512")),
                Arguments.of("epoch", (Executable) () -> bench.query(Query.of(ok).withEpoch(50)),
                        List.of("50", "12, 200")),
                Arguments.of("epoch 0", (Executable) () -> Query.of(ok).withEpoch(0), List.of("epoch 0", "12 or 200")),
                Arguments.of("mode", (Executable) () -> Mode.parse("validation"),
                        List.of("validation", "train, valid, test")),
                Arguments.of("iepoch 0", (Executable) () -> Query.of(ok).withIepoch(0),
                        List.of("iepoch 0", "1 ≤ iepoch ≤ 12")),
                Arguments.of("iepoch 13", (Executable) () -> bench.accuracy(0, Mode.VALID, 13, 222),
                        List.of("iepoch 13", "1 ≤ iepoch ≤ 12")),
                Arguments.of("iepoch at 200",
                        (Executable) () -> bench.query(Query.of(ok).withEpoch(200).withIepoch(12)),
                        List.of("iepoch 12", "200")),
                Arguments.of("seed", (Executable) () -> bench.cost(0, Mode.VALID, 12, 1),
                        List.of("seed 1", "222, 555, 888")),
                Arguments.of("seed in a query", (Executable) () -> Query.of(ok).withSeed(42),
                        List.of("seed 42", "222, 555, 888")),
                Arguments.of("index", (Executable) () -> bench.accuracy(ConfigIndex.size(NHB2), Mode.VALID, 12,
                        222),
                        List.of("196608", "0 ≤ index < 196608")),
                Arguments.of("negative index", (Executable) () -> bench.longAccuracy(-1),
                        List.of("-1", "0 ≤ index < 196608")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKeys")
    void aBadKeyIsAnErrorNamingTheValueAndTheValidOnes(String what, Executable call, List<String> mentions) {
        assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class)
                .message().contains(mentions);
    }

    @Test
    void batchQueryAnswersLikeSingleQueries() {
        int[] indices = {0, 55, 12_345, 196_607, 55};
        double[] acc = new double[indices.length];
        double[] cost = new double[indices.length];

        bench.query(indices, Mode.TEST, 7, 555, acc, cost);

        for (int i = 0; i < indices.length; i++) {
            assertThat(acc[i]).isEqualTo(bench.accuracy(indices[i], Mode.TEST, 7, 555));
            assertThat(cost[i]).isEqualTo(bench.cost(indices[i], Mode.TEST, 7, 555));
        }
        List<Answer> keyed = bench.query(List.of(Query.of(bench.configuration(55)),
                Query.of(bench.configuration(0)).withEpoch(200)));
        assertThat(keyed).extracting(Answer::accuracy)
                .containsExactly(bench.accuracy(55, Mode.VALID, 12, 222), bench.longAccuracy(0));
        assertThatThrownBy(() -> bench.query(indices, Mode.TEST, 7, 555, new double[2], cost))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 indices");
    }

    @Test
    void scanVisitsEveryConfigurationOnceInIndexOrder() {
        int[] next = {0};
        bench.scan(Mode.TRAIN, 4, 888, (index, accuracy, cost) -> {
            assertThat(index).isEqualTo(next[0]++);
            if (index % 997 == 0) {
                assertThat(accuracy).isEqualTo(bench.accuracy(index, Mode.TRAIN, 4, 888));
                assertThat(cost).isEqualTo(bench.cost(index, Mode.TRAIN, 4, 888));
            }
        });
        assertThat(next[0]).isEqualTo(ConfigIndex.size(NHB2));

        double[] sum = {0};
        bench.scanLong((index, accuracy, cost) -> {
            assertThat(cost).isNaN();
            sum[0] += accuracy;
        });
        assertThat(sum[0]).isCloseTo(IntStream.range(0, ConfigIndex.size(NHB2))
                .mapToDouble(HandBuiltBenchmark::longAccuracy).sum(), within(1e-6));
    }

    @Test
    void storedSeriesDivergenceAndNetworkSizeAreReadable() {
        CellCode diverged = NHB2.classes().get(HandBuiltBenchmark.DIVERGED_CLASS).representative();
        int index = index(diverged, HandBuiltBenchmark.DIVERGED_HP);

        assertThat(bench.epochsCompleted(index, 222)).isEqualTo(HandBuiltBenchmark.DIVERGED_EPOCHS);
        assertThat(bench.epochsCompleted(index, 555)).isEqualTo(12);
        assertThat(bench.value(index, Metric.VALID_LOSS, 3, 555)).isEqualTo(2 - 0.125 * 2);
        assertThat(bench.value(index, Metric.TEST_SECONDS, 12, 555)).isEqualTo(HandBuiltBenchmark.testSeconds(11));
        assertThat(bench.parameters(index)).isEqualTo(1000L + HandBuiltBenchmark.DIVERGED_CLASS);
        assertThat(bench.multiplyAdds(index)).isEqualTo(2000L + HandBuiltBenchmark.DIVERGED_CLASS);
    }
}
