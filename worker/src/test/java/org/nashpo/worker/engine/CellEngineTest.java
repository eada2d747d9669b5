package org.nashpo.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class CellEngineTest {

    @Test
    void trainableParametersEqualTheAnalyticCountForAll4096Cells() {
        for (CellCode cell : SearchSpace.NAS_HPO_BENCH_2.cells()) {
            long count = Graph.of(cell, NetworkShape.BENCHMARK).parameterShapes.values().stream()
                    .mapToLong(s -> {
                        long n = 1;
                        for (long d : s) {
                            n *= d;
                        }
                        return n;
                    }).sum();
            assertThat(count).as("parameters of %s", cell).isEqualTo(NetworkCost.of(cell).parameters());
        }
    }

    /**
     * NAS-Bench-201's published counts (its {@code get_model_infos}): 73,306 + 243,040 per
     * 3×3 and 28,000 per 1×1 convolution edge in its bias-free network; NAS-HPO-Bench-II's network adds the
     * skeleton's 304 biases. The engine's parameters, NetworkCost's count and the formula agree on a spread of
     * cells of NAS-Bench-201's space and of NAS-HPO-Bench-II's space extended by conv1x1.
     */
    @Test
    void parametersEqualNasBench201sPublishedCountsForConv1x1AndBothFamilies() {
        SearchSpace extended = SearchSpace.of(List.of(Op.CONV3X3, Op.AVGPOOL3X3, Op.SKIP, Op.ZERO, Op.CONV1X1));
        for (SearchSpace space : List.of(SearchSpace.NAS_BENCH_201, extended)) {
            for (NetworkFamily family : NetworkFamily.values()) {
                NetworkShape shape = NetworkShape.BENCHMARK.withFamily(family);
                long fixed = family == NetworkFamily.NAS_BENCH_201 ? 73_306 : 73_610;
                for (int index = 0; index < space.size(); index += 53) {
                    CellCode cell = space.cell(index);
                    long expected = fixed + 243_040L * cell.count(Op.CONV3X3) + 28_000L * cell.count(Op.CONV1X1);
                    long count = Graph.of(cell, shape).parameterShapes.values().stream()
                            .mapToLong(Parameters::length).sum();
                    assertThat(count).as("parameters of %s in %s", cell, family).isEqualTo(expected);
                    assertThat(NetworkCost.of(cell, shape).parameters()).isEqualTo(expected);
                }
            }
        }
        // the engine's own arrays: all-1×1, NAS-Bench-201's published index 0 (two 1×1 convs), all-3×3
        for (String code : List.of("2|22|222", "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|"
                + "skip_connect~1|skip_connect~2|", "3|33|333")) {
            CellCode cell = SearchSpace.NAS_BENCH_201.parse(code);
            try (CellEngine engine = new CellEngine(cell, NetworkShape.BENCHMARK.withFamily(NetworkFamily.NAS_BENCH_201),
                    DataType.FLOAT, 1)) {
                assertThat(engine.parameterCount()).as(code).isEqualTo(73_306 + 243_040L * cell.count(Op.CONV3X3)
                        + 28_000L * cell.count(Op.CONV1X1));
                assertThat(engine.parameters().keySet()).as("bias-free skeleton").doesNotContain("stem_conv.bias",
                        "r1_conv_a.bias", "r2_shortcut.bias");
            }
        }
        try (CellEngine engine = new CellEngine(extended.parse("4|02|214"), NetworkShape.BENCHMARK, DataType.FLOAT, 1)) {
            assertThat(engine.parameterCount()).isEqualTo(73_610 + 243_040 + 2 * 28_000);
            assertThat(engine.parameters()).containsKeys("stem_conv.bias", "s0c0_e01_conv1x1.weight",
                    "s2c4_e23_bn1x1.bias", "s1c2_e02_conv.weight");
            assertThat(engine.parameters().get("s0c0_e01_conv1x1.weight").shape()).containsExactly(16, 16, 1, 1);
        }
    }

    /**
     * NAS-Bench-201's zero edge is {@code x.mul(0.)}: a dead end's layers get a zero gradient, and SGD's
     * weight decay and momentum move them, p ← p·(1 − lr·λ·(1 + μ)) in the first step; NAS-HPO-Bench-II's is
     * {@code zeros_like}: SGD skips them. In both, the live layers take the same step.
     */
    @Test
    void aDeadEndDecaysInNasBench201sNetworkAndStaysPutInNasHpoBench2s() {
        // NAS-Bench-201's digits: node 1 is a 1×1 conv of the input that feeds only zero edges
        CellCode cell = SearchSpace.NAS_BENCH_201.parse("2|10|401");
        NetworkShape small = new NetworkShape(4, 1, 3);
        float[] x = new float[4 * 3072];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 29) / 29f - 0.5f;
        }
        int[] y = {1, 3, 5, 7};
        double lr = 0.1;
        double mu = 0.9;
        double decay = 5e-4;
        String dead = "s0c0_e01_conv1x1.weight";
        for (NetworkFamily family : NetworkFamily.values()) {
            try (CellEngine engine = new CellEngine(cell, small.withFamily(family), DataType.DOUBLE, 4)) {
                engine.initialise(9);
                INDArray before = engine.parameters().get(dead).dup();
                INDArray liveBefore = engine.parameters().get("output.weight").dup();
                for (int step = 0; step < 2; step++) {
                    engine.input(4, x);
                    engine.forwardBackward(4, y);
                    if (family == NetworkFamily.NAS_BENCH_201) {
                        assertThat(engine.gradients().get(dead).amaxNumber().doubleValue()).isZero();
                    } else {
                        assertThat(engine.gradients()).doesNotContainKey(dead);
                    }
                    engine.step(lr, mu, decay);
                    if (step == 0) {
                        INDArray expected = family == NetworkFamily.NAS_BENCH_201
                                ? before.mul(1 - lr * decay * (1 + mu)) : before;
                        assertThat(engine.parameters().get(dead).sub(expected).amaxNumber().doubleValue())
                                .as("%s after one step", family).isLessThan(1e-15);
                    }
                }
                // the second step: b = μ·b + λp₁, p₂ = p₁ − lr·(λp₁ + μb) — a stale direction left in the
                // gradient would show here
                double p0 = before.getDouble(0);
                double p1 = p0 * (1 - lr * decay * (1 + mu));
                double b = mu * decay * p0 + decay * p1;
                double p2 = family == NetworkFamily.NAS_BENCH_201 ? p1 - lr * (decay * p1 + mu * b) : p0;
                assertThat(engine.parameters().get(dead).getDouble(0)).as("%s after two steps", family)
                        .isCloseTo(p2, within(1e-15));
                assertThat(engine.parameters().get("output.weight").sub(liveBefore).amaxNumber().doubleValue())
                        .isGreaterThan(1e-4);
            }
        }
    }

    /**
     * What an engine allocates when it is built is known before: {@link CellEngine#bytesNeeded} is what
     * libnd4j's own allocator counts the engine holding (the native bytes its close frees), not the
     * engine's bookkeeping, at two batch sizes, in both families for a cell with a dead end (one family
     * steps its parameters, so their momentum too, the other not).
     */
    @Test
    void theMemoryAnEngineNeedsIsKnownBeforeItIsBuilt() throws Exception {
        CellCode cell = SearchSpace.NAS_BENCH_201.parse("2|10|401");
        for (NetworkFamily family : NetworkFamily.values()) {
            NetworkShape shape = new NetworkShape(8, 2, 3).withFamily(family);
            long[] predicted = new long[2];
            int[] batches = {1, 32};
            for (int i = 0; i < batches.length; i++) {
                int batch = batches[i];
                predicted[i] = CellEngine.bytesNeeded(cell, shape, DataType.FLOAT, batch);
                NativeBytes.Measured m = NativeBytes.measure(() -> new CellEngine(cell, shape, DataType.FLOAT, batch));
                assertThat(m.freedOnClose()).as("native bytes of an engine in %s at batch %d", family, batch)
                        .isEqualTo(predicted[i]);
            }
            assertThat(predicted[1]).isGreaterThan(predicted[0]);
        }
    }

    /**
     * Every array an engine holds is reserved from the engines' budget first: the native bytes it holds
     * once built, and that its close frees (libnd4j's own count), are the bytes it reserved — its plans'
     * memory, and its parameters with their gradients, momentum and running statistics — in both families,
     * one of which steps the dead end's parameters and the other not (a momentum array of another length).
     */
    @Test
    void everyArrayAnEngineHoldsIsReservedFromTheBudget() throws Exception {
        CellCode cell = SearchSpace.NAS_BENCH_201.parse("2|10|401");
        for (NetworkFamily family : NetworkFamily.values()) {
            NetworkShape shape = new NetworkShape(8, 1, 3).withFamily(family);
            NativeBytes.Measured m = NativeBytes.measure(() -> new CellEngine(cell, shape, DataType.FLOAT, 8));
            assertThat(m.reserved()).as("%s", family).isPositive();
            assertThat(m.held()).as("native bytes an engine in %s holds", family).isEqualTo(m.reserved());
            assertThat(m.freedOnClose()).as("native bytes an engine in %s freed", family).isEqualTo(m.reserved());
            assertThat(m.reservedAfterClose()).isZero();
        }
    }

    @Test
    void anEngineBeyondTheOffHeapBudgetIsRefusedWithTheFiguresAndHoldsNothing() {
        long before = EngineMemory.reservedByEngines();
        // 200,000 images of 5.7 MB each: more than any test JVM's budget
        assertThatThrownBy(() -> new CellEngine(SearchSpace.NAS_HPO_BENCH_2.parse("0|00|000"), NetworkShape.BENCHMARK, DataType.FLOAT,
                200_000)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("off-heap memory").hasMessageContaining("batch 200000")
                .hasMessageContaining("org.bytedeco.javacpp.maxbytes").hasMessageContaining("deploy/README.md");
        assertThat(EngineMemory.reservedByEngines()).isEqualTo(before);
        // an engine's parameters, or a supernet's shared weights, beyond the budget: refused the same way
        try (EngineMemory.Reserved parameters = new EngineMemory.Reserved("its parameters")) {
            parameters.zeros(DataType.FLOAT, 1000);
            assertThatThrownBy(() -> parameters.zeros(DataType.FLOAT, Long.MAX_VALUE / 8))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("off-heap memory for its parameters")
                    .hasMessageContaining("org.bytedeco.javacpp.maxbytes");
            assertThat(EngineMemory.reservedByEngines()).isEqualTo(before + 4000);
        }
        assertThat(EngineMemory.reservedByEngines()).isEqualTo(before);
        CellCode cell = SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210");
        NetworkShape small = new NetworkShape(4, 1, 3);
        try (CellEngine engine = new CellEngine(cell, small, DataType.FLOAT, 4)) {
            assertThat(EngineMemory.reservedByEngines())
                    .isEqualTo(before + CellEngine.bytesNeeded(cell, small, DataType.FLOAT, 4));
        }
        assertThat(EngineMemory.reservedByEngines()).isEqualTo(before);
    }

    @Test
    void enginesSharingMemoryGrowItAndRebuildTheirPlansOnTheLargerArena() {
        NetworkShape shape = new NetworkShape(4, 1, 3);
        float[] x = new float[2 * 3072];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 13) / 13f;
        }
        int[] y = {3, 7};
        try (EngineMemory memory = new EngineMemory(shape, DataType.FLOAT, 2);
                CellEngine small = new CellEngine(SearchSpace.NAS_HPO_BENCH_2.parse("3|33|333"), shape, DataType.FLOAT, memory);
                CellEngine alone = new CellEngine(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), shape, DataType.FLOAT, 2)) {
            small.initialise(1);
            small.input(2, x);
            small.infer(2);
            int generation = memory.generation();
            try (CellEngine large = new CellEngine(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), shape, DataType.FLOAT, memory)) {
                assertThat(memory.generation()).as("the all-zero cell's arena is too small").isGreaterThan(generation);
                large.initialise(5);
                alone.initialise(5);
                large.input(2, x);
                alone.input(2, x);
                assertThat(large.forwardBackward(2, y)).isEqualTo(alone.forwardBackward(2, y));
            }
            // the first engine runs again on the new arena
            small.input(2, x);
            assertThat(small.loss(2, y, false)).isFinite();
        }
    }
}
