package org.nashpo.worker.engine;

import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One way of running a training-mode BatchNorm (issue 26), bound once to its {@link BatchNormArrays} and then
 * called per step, as {@link Plan}'s steps are. BatchNormDesignsTest checks each against a double-precision
 * reference; {@code jmh.BatchNormDesigns} times them side by side.
 */
public interface BatchNormDesign extends AutoCloseable {

    /** y from x with the batch statistics; writes mean and biased variance, updates the running statistics. */
    void forwardTraining();

    /** dx, dGamma and dBeta from dy, with the statistics of the last {@link #forwardTraining}. */
    void backward();

    @Override
    void close();

    /** The designs; {@link #bind} makes one for given arrays. */
    enum Kind {
        /** (a) oneDNN's batch-normalization primitive called directly, float32 only (oneDNN 2.5 has no f64). */
        ONEDNN(BatchNormOneDnn::new, DataType.FLOAT),
        /** (b) ND4J only, rearranged: statistics and backward reductions as matrix products against ones. */
        ND4J_MMUL(BatchNormMmul::new, DataType.FLOAT, DataType.DOUBLE),
        /** (c) the baseline: ND4J's ops as {@link Plan} runs them (moments + batchnorm, batchnorm_bp). */
        ND4J_OPS(BatchNormOps::new, DataType.FLOAT, DataType.DOUBLE),
        /** (d) the engine's own kernel, {@link BatchNormKernel}, the one {@link Plan} runs on the CPU. */
        JAVA_KERNEL(BatchNormJava::new, DataType.FLOAT, DataType.DOUBLE);

        private final Function<BatchNormArrays, BatchNormDesign> bind;
        private final java.util.Set<DataType> types;

        Kind(Function<BatchNormArrays, BatchNormDesign> bind, DataType... types) {
            this.bind = bind;
            this.types = java.util.Set.of(types);
        }

        public boolean supports(DataType type) {
            return types.contains(type);
        }

        public BatchNormDesign bind(BatchNormArrays arrays) {
            if (!supports(arrays.type)) {
                throw new IllegalArgumentException(this + ": " + arrays.type + " not supported (supports " + types
                        + ")");
            }
            return bind.apply(arrays);
        }
    }
}
