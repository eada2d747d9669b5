package org.nashpo.worker.nn;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * BatchNormalization whose γ and β receive the network's weight decay, as PyTorch's
 * {@code SGD(weight_decay=…)} gives every parameter. DL4J's own layer never regularises them; the
 * running mean and variance are statistics, not parameters, and stay undecayed.
 */
public class DecayedBatchNormalization extends BatchNormalization {

    private static final long serialVersionUID = 1L;

    /** For DL4J's JSON round trip; {@link CellNetwork} sets the fields. */
    public DecayedBatchNormalization() {
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return switch (paramName) {
            case BatchNormalizationParamInitializer.GAMMA, BatchNormalizationParamInitializer.BETA -> regularization;
            default -> null;
        };
    }

    @Override
    public DecayedBatchNormalization clone() {
        return (DecayedBatchNormalization) super.clone();
    }
}
