package org.nashpo.spark.construct;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.util.Utils;
import org.junit.jupiter.api.Test;

class TrainTaskTest {

    @Test
    void anErrorInARunIsFatalToTheExecutorAsSparkJudgesIt() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        assertThat(TrainTask.fatal(oom, "k1")).isSameAs(oom);
        Error cudaFault = new AssertionError("cudaErrorIllegalAddress");
        VirtualMachineError fatal = TrainTask.fatal(cudaFault, "k2");
        assertThat(fatal).hasMessageContaining("run k2").hasCause(cudaFault);
        // Spark's executor exits on exactly these (its uncaught-exception handler); an ordinary Error would only fail the task
        assertThat(Utils.isFatalError(fatal)).isTrue();
        assertThat(Utils.isFatalError(oom)).isTrue();
        assertThat(Utils.isFatalError(cudaFault)).isFalse();
    }
}
