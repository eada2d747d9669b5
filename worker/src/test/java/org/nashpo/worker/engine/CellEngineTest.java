package org.nashpo.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
}
