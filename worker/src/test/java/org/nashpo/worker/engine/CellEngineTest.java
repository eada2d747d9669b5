package org.nashpo.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkCost;
import org.nashpo.core.space.NetworkShape;

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
}
