package org.nashpo.worker.supernet;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellCode;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.engine.CellEngine;
import org.nashpo.worker.engine.NativeBytes;
import org.nashpo.worker.nas.Batch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SupernetTest {

    private static final NetworkShape SMALL = new NetworkShape(4, 1, 3);
    private static final int N = 6;

    @BeforeAll
    static void backend() {
        Backend.configure(2);
    }

    private static Batch batch(long seed) {
        Batch b = new Batch(N);
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = b.featureBuffer();
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < N; i++) {
            b.labelBuffer()[i] = r.nextInt(10);
        }
        b.setSize(N);
        return b;
    }

    /** A standalone engine of a cellcode, trained one step so its running statistics are not the defaults. */
    private static CellEngine standalone(CellCode cell, long seed) {
        CellEngine e = new CellEngine(cell, SMALL, DataType.FLOAT, N);
        e.initialise(seed);
        Batch warm = batch(1);
        e.input(N, warm.features());
        e.forwardBackward(N, warm.labels());
        e.step(0.05, 0.9, 5e-4);
        return e;
    }

    private static INDArray probabilities(CellEngine e, Batch b, boolean training) {
        e.input(N, b.features());
        if (training) {
            e.loss(N, b.labels(), true);
        } else {
            e.infer(N);
        }
        return e.probabilities(N).dup();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0|10|210", "2|13|021", "1|23|302", "3|33|333"})
    void withOneCellTheSupernetComputesItsStandaloneNetworkGivenTheSameWeights(String code) {
        CellCode cell = SearchSpace.NAS_HPO_BENCH_2.parse(code);
        try (CellEngine alone = standalone(cell, 17)) {
            Supernet supernet = Supernet.create(SMALL, Supernet.Sgd.ASNG_NAS, 4, 99);
            Batch input = batch(2);
            INDArray before = supernet.probabilities(cell, input, false);

            supernet.importWeights(alone);
            for (boolean training : new boolean[] {false, true}) {
                INDArray actual = supernet.probabilities(cell, input, training);
                INDArray expected = probabilities(alone, input, training);
                assertThat(actual.shape()).isEqualTo(expected.shape());
                assertThat(maxDifference(actual, expected)).as("training %s", training).isLessThan(1e-6);
            }
            // the comparison can fail: other weights give other outputs (except for the zero cell's
            // network, whose output ignores the input but not the head's weights)
            assertThat(maxDifference(before, probabilities(alone, input, false))).isGreaterThan(1e-4);
        }
    }

    @Test
    void oneSampledCellTrainsExactlyAsItsStandaloneNetworkDoes() {
        CellCode cell = SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210");
        double lr = 0.1;
        try (CellEngine alone = standalone(cell, 23)) {
            // no clipping here: the engine's own step has none to compare against
            Supernet supernet = Supernet.create(SMALL, new Supernet.Sgd(0.9, 5e-4, Double.POSITIVE_INFINITY), 4, 1);
            supernet.importWeights(alone);
            try (CellEngine fresh = new CellEngine(cell, SMALL, DataType.FLOAT, N)) {
                // the standalone's momentum starts now, as the supernet's does
                fresh.initialise(0);
                fresh.parameters().forEach((name, v) -> v.assign(alone.parameters().get(name)));
                fresh.statistics().forEach((name, v) -> v.assign(alone.statistics().get(name)));
                for (int step = 0; step < 3; step++) {
                    Batch b = batch(10 + step);
                    fresh.input(N, b.features());
                    double expectedLoss = fresh.forwardBackward(N, b.labels());
                    fresh.step(lr, 0.9, 5e-4);
                    double loss = supernet.trainStep(List.of(cell), b, lr);
                    assertThat(loss).isCloseTo(expectedLoss, within(1e-5));
                }
                Batch input = batch(99);
                assertThat(maxDifference(supernet.probabilities(cell, input, false), probabilities(fresh, input, false)))
                        .isLessThan(1e-5);
            }
        }
    }

    @Test
    void operationsNeverSampledAreNeverChangedAndTouchedOnesKeepDecaying() {
        Supernet supernet = Supernet.create(SMALL, Supernet.Sgd.ASNG_NAS, 2, 5);
        String e01 = "s0c0_e01_conv.weight";
        String e02 = "s0c0_e02_conv.weight";
        INDArray e01Start = supernet.parameter(e01);
        INDArray e02Start = supernet.parameter(e02);
        INDArray stemStart = supernet.parameter("stem_conv.weight");

        supernet.trainStep(List.of(SearchSpace.NAS_HPO_BENCH_2.parse("2|22|222"), SearchSpace.NAS_HPO_BENCH_2.parse("1|21|212")), batch(3), 0.1);
        assertThat(maxDifference(supernet.parameter(e01), e01Start)).isZero();
        assertThat(maxDifference(supernet.parameter("stem_conv.weight"), stemStart)).isGreaterThan(1e-4);

        // output = conv(input) along edge 0→1, then skip 1→3
        supernet.trainStep(List.of(SearchSpace.NAS_HPO_BENCH_2.parse("0|33|323"), SearchSpace.NAS_HPO_BENCH_2.parse("0|33|323")), batch(4), 0.1);
        INDArray e01Trained = supernet.parameter(e01);
        assertThat(maxDifference(e01Trained, e01Start)).isGreaterThan(1e-4);
        assertThat(maxDifference(supernet.parameter(e02), e02Start)).isZero();

        // not sampled now, but touched before: weight decay and momentum still move it (PyTorch keeps its
        // zeroed gradient), while the never-sampled edge stays put
        supernet.trainStep(List.of(SearchSpace.NAS_HPO_BENCH_2.parse("2|22|222"), SearchSpace.NAS_HPO_BENCH_2.parse("2|22|222")), batch(5), 0.1);
        assertThat(maxDifference(supernet.parameter(e01), e01Trained)).isGreaterThan(1e-6);
        assertThat(maxDifference(supernet.parameter(e02), e02Start)).isZero();

        // a cache of two: 2|22|222 fell out when 0|33|323 came in, and was built again
        Supernet.Stats stats = supernet.stats();
        assertThat(stats.cached()).isEqualTo(2);
        assertThat(stats.enginesBuilt()).isEqualTo(4);
        assertThat(stats.cacheHits()).isEqualTo(2);
    }

    /** NAS-HPO-Bench-II's supernet starts from its all-convolution network's initial weights, draw for draw. */
    @Test
    void nasHpoBench2sSupernetInitialisesAsItsAllConvolutionNetwork() {
        Supernet supernet = Supernet.create(SMALL, Supernet.Sgd.ASNG_NAS, 2, 41);
        try (CellEngine allConv = new CellEngine(SearchSpace.NAS_HPO_BENCH_2.parse("0|00|000"), SMALL, DataType.FLOAT,
                1)) {
            allConv.initialise(41);
            assertThat(supernet.parameters()).isEqualTo(allConv.parameterCount());
            allConv.parameters().forEach((name, v) -> assertThat(supernet.parameter(name).data().asFloat())
                    .as(name).containsExactly(v.dup().data().asFloat()));
        }
    }

    /**
     * NAS-Bench-201's space: five operations, two of them convolutions. Every edge of every cell holds both
     * convolutions' weights ({@code _conv} 3×3 and {@code _conv1x1}); a step trains only the sampled one.
     */
    @Test
    void overNasBench201sSpaceEveryEdgeHoldsBothConvolutionsAndAStepTrainsTheSampledOne() {
        SearchSpace space = SearchSpace.NAS_BENCH_201;
        NetworkShape shape = SMALL.withFamily(NetworkFamily.NAS_BENCH_201);
        Supernet supernet = Supernet.create(shape, space, Supernet.Sgd.ASNG_NAS, 4, 7);
        assertThat(supernet.space()).isEqualTo(space);
        long skeleton = NetworkCost.of(space.parse("0|00|000"), shape).parameters();
        assertThat(supernet.parameters()).isEqualTo(NetworkCost.of(space.parse("3|33|333"), shape).parameters()
                + NetworkCost.of(space.parse("2|22|222"), shape).parameters() - skeleton);
        assertThat(supernet.parameter("s2c0_e23_conv.weight").length()).isEqualTo(16 * 16 * 3 * 3);
        assertThat(supernet.parameter("s2c0_e23_conv1x1.weight").length()).isEqualTo(16 * 16);

        String conv3 = "s0c0_e01_conv.weight";
        String conv1 = "s0c0_e01_conv1x1.weight";
        INDArray conv3Start = supernet.parameter(conv3);
        INDArray conv1Start = supernet.parameter(conv1);
        // all 1×1: the 1×1 weights train, the 3×3 ones on the same edges stay
        supernet.trainStep(List.of(space.parse("2|22|222"), space.parse("2|12|121")), batch(3), 0.1);
        INDArray conv1Trained = supernet.parameter(conv1);
        assertThat(maxDifference(conv1Trained, conv1Start)).isGreaterThan(1e-4);
        assertThat(maxDifference(supernet.parameter(conv3), conv3Start)).isZero();
        // all 3×3 now
        supernet.trainStep(List.of(space.parse("3|33|333"), space.parse("3|43|143")), batch(4), 0.1);
        assertThat(maxDifference(supernet.parameter(conv3), conv3Start)).isGreaterThan(1e-4);

        // with one cell, the supernet computes that cell's standalone network given the same weights
        CellCode cell = space.parse("2|34|142");
        try (CellEngine alone = new CellEngine(cell, shape, DataType.FLOAT, N)) {
            alone.initialise(17);
            supernet.importWeights(alone);
            Batch input = batch(2);
            assertThat(maxDifference(supernet.probabilities(cell, input, false), probabilities(alone, input, false)))
                    .isLessThan(1e-6);
        }
        // a cell of another space is not one of its cells
        assertThatThrownBy(() -> supernet.loss(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), batch(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0|10|210")
                .hasMessageContaining("[zero, skip, conv1x1, conv3x3, avgpool3x3]");
    }

    /**
     * The supernet's shared arrays (weights, gradient, momentum, the touched mask) are reserved from the
     * engines' budget: the native bytes it holds once built, and that its close frees (libnd4j's own count),
     * are the bytes it reserved, in a space of one convolution and in one of two; the engines it draws its
     * initial weights with hold nothing once it is built.
     */
    @Test
    void theSharedArraysAreReservedFromTheEnginesBudget() throws Exception {
        for (SearchSpace space : List.of(SearchSpace.NAS_HPO_BENCH_2, SearchSpace.NAS_BENCH_201)) {
            NativeBytes.Measured m = NativeBytes.measure(() -> Supernet.create(SMALL, space, Supernet.Sgd.ASNG_NAS, 2,
                    3));
            assertThat(m.reserved()).as("%s", space).isPositive();
            assertThat(m.held()).as("native bytes the supernet of %s holds", space).isEqualTo(m.reserved());
            assertThat(m.freedOnClose()).as("native bytes the supernet of %s freed", space).isEqualTo(m.reserved());
            assertThat(m.reservedAfterClose()).isZero();
        }
    }

    /**
     * PyTorch's {@code clip_grad_norm_}: the gradient of every parameter together is shrunk by one factor,
     * to the clip norm. With momentum and decay off a step is lr·g, so the step of every block the cell
     * trains is the unclipped one times clip / ‖g‖ — the same factor for every block — and the whole step's
     * norm is the clip.
     */
    @Test
    void theGradientIsClippedToTheGlobalNorm() {
        CellCode cell = SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210");
        Batch b = batch(6);
        List<String> names;
        try (CellEngine engine = new CellEngine(cell, SMALL, DataType.FLOAT, 1)) {
            names = List.copyOf(engine.parameters().keySet());
        }
        try (Supernet free = Supernet.create(SMALL, new Supernet.Sgd(0, 0, Double.POSITIVE_INFINITY), 2, 8)) {
            List<INDArray> start = names.stream().map(free::parameter).toList();
            free.trainStep(List.of(cell), b, 1);
            List<INDArray> freeSteps = steps(free, names, start);
            double gradientNorm = norm(freeSteps);
            double clip = gradientNorm / 4;
            try (Supernet clipped = Supernet.create(SMALL, new Supernet.Sgd(0, 0, clip), 2, 8)) {
                clipped.trainStep(List.of(cell), b, 1);
                List<INDArray> clippedSteps = steps(clipped, names, start);
                assertThat(norm(clippedSteps)).as("the whole step's norm").isCloseTo(clip, within(clip * 1e-4));
                double factor = clip / gradientNorm;
                int moved = 0;
                for (int i = 0; i < names.size(); i++) {
                    double size = freeSteps.get(i).amaxNumber().doubleValue();
                    moved += size > 0 ? 1 : 0;
                    // the weights are floats: a step is known to a rounding of the weight it moved
                    double rounding = 2 * Math.ulp(start.get(i).amaxNumber().floatValue());
                    assertThat(maxDifference(clippedSteps.get(i), freeSteps.get(i).mul(factor)))
                            .as("%s: its step shrunk by the common factor %.4f", names.get(i), factor)
                            .isLessThanOrEqualTo(1e-3 * factor * size + rounding);
                }
                assertThat(moved).as("blocks the step moved").isGreaterThan(10);
            }
        }
    }

    /** start − now, block by block. */
    private static List<INDArray> steps(Supernet supernet, List<String> names, List<INDArray> start) {
        return java.util.stream.IntStream.range(0, names.size())
                .mapToObj(i -> start.get(i).castTo(DataType.DOUBLE).sub(supernet.parameter(names.get(i))
                        .castTo(DataType.DOUBLE)))
                .toList();
    }

    /** The L2 norm of the blocks together. */
    private static double norm(List<INDArray> blocks) {
        double sum = 0;
        for (INDArray block : blocks) {
            double n = block.norm2Number().doubleValue();
            sum += n * n;
        }
        return Math.sqrt(sum);
    }

    private static double maxDifference(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
