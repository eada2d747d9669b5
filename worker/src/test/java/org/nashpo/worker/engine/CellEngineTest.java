package org.nashpo.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkCost;
import org.nashpo.core.space.NetworkShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class CellEngineTest {

    @Test
    void trainableParametersEqualTheAnalyticCountForAll4096Cells() {
        for (CellCode cell : CellCode.all()) {
            long count = CellEngine.Graph.build(cell, NetworkShape.BENCHMARK).parameterShapes.values().stream()
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

    @Test
    void theMemoryAnEngineNeedsIsKnownBeforeItIsBuilt() {
        CellCode cell = CellCode.parse("0|10|210");
        NetworkShape shape = new NetworkShape(8, 2, 3);
        long predicted = CellEngine.bytesNeeded(cell, shape, DataType.FLOAT, 32);
        try (CellEngine engine = new CellEngine(cell, shape, DataType.FLOAT, 32)) {
            long parameters = engine.parameters().values().stream().mapToLong(INDArray::length).sum();
            long actual = engine.activationBytes()[0] + 3 * parameters * 4;
            assertThat(predicted).isEqualTo(actual);
        }
        assertThat(CellEngine.bytesNeeded(cell, shape, DataType.FLOAT, 64)).isGreaterThan(predicted);
    }

    @Test
    void anEngineBeyondTheOffHeapBudgetIsRefusedWithTheFiguresAndHoldsNothing() {
        long before = EngineMemory.reservedByEngines();
        // 200,000 images of 5.7 MB each: more than any test JVM's budget
        assertThatThrownBy(() -> new CellEngine(CellCode.parse("0|00|000"), NetworkShape.BENCHMARK, DataType.FLOAT,
                200_000)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("off-heap memory").hasMessageContaining("batch 200000")
                .hasMessageContaining("org.bytedeco.javacpp.maxbytes").hasMessageContaining("deploy/README.md");
        assertThat(EngineMemory.reservedByEngines()).isEqualTo(before);
        try (CellEngine engine = new CellEngine(CellCode.parse("0|10|210"), new NetworkShape(4, 1, 3), DataType.FLOAT, 4)) {
            assertThat(EngineMemory.reservedByEngines()).isEqualTo(before + engine.activationBytes()[0]);
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
                CellEngine small = new CellEngine(CellCode.parse("3|33|333"), shape, DataType.FLOAT, memory);
                CellEngine alone = new CellEngine(CellCode.parse("0|10|210"), shape, DataType.FLOAT, 2)) {
            small.initialise(1);
            small.input(2, x);
            small.infer(2);
            int generation = memory.generation();
            try (CellEngine large = new CellEngine(CellCode.parse("0|10|210"), shape, DataType.FLOAT, memory)) {
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
