package org.nashpo.core.spec;

/**
 * What one training run asks of its executor.
 *
 * @param threadsPerTask CPU threads a run may use (≥ 1); Spark's {@code spark.task.cpus}
 * @param gpusPerTask 0 to train on CPU, 1 for a GPU per run, or a share such as 0.5 to pack ⌊1/share⌋
 *     runs onto one GPU; Spark's {@code spark.task.resource.gpu.amount}
 */
public record Resources(int threadsPerTask, double gpusPerTask) {

    /** What a {@code resources} block gives a key it leaves out: one thread, CPU only. */
    public static final Resources DEFAULT = new Resources(1, 0);

    public Resources {
        Rules.require("resources.threadsPerTask", Rules.atLeast(1, threadsPerTask));
        Rules.require("resources.gpusPerTask", Rules.gpus(gpusPerTask));
    }

    public boolean usesGpu() {
        return gpusPerTask > 0;
    }
}
