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

    /** An executor holds the data of one job at a time: another dataset replaces it, the same one is loaded once. */
    @Test
    void anExecutorHoldsOneDatasetAtATime() {
        int[] loads = new int[1];
        java.util.function.Supplier<org.nashpo.worker.train.TrainingSets.Loaded> load = () -> {
            loads[0]++;
            return new org.nashpo.worker.train.TrainingSets.Loaded(null, null);
        };
        var first = TrainTask.data("file:/a|protocol-a", load);
        assertThat(TrainTask.data("file:/a|protocol-a", load)).isSameAs(first);
        assertThat(loads[0]).isEqualTo(1);

        var second = TrainTask.data("file:/b|protocol-b", load);
        assertThat(second).isNotSameAs(first);
        assertThat(loads[0]).isEqualTo(2);
        assertThat(TrainTask.dataHeld()).isEqualTo(1);
    }
}
