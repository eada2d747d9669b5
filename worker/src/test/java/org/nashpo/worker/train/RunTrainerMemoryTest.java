package org.nashpo.worker.train;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkShape;

class RunTrainerMemoryTest {

    @Test
    void aRunWhoseEngineCannotFitInTheOffHeapLimitIsRefusedWithTheFigures() {
        CellCode cell = CellCode.parse("0|00|000");
        assertThatCode(() -> RunTrainer.requireOffHeap("k", cell, NetworkShape.BENCHMARK, 16)).doesNotThrowAnyException();
        // 200,000 images of 5.7 MB each: more than any test JVM's maxbytes
        assertThatThrownBy(() -> RunTrainer.requireOffHeap("k1", cell, NetworkShape.BENCHMARK, 200_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("run k1 (0|00|000, batch 200000) needs")
                .hasMessageContaining("org.bytedeco.javacpp.maxbytes")
                .hasMessageContaining("deploy/README.md");
    }
}
