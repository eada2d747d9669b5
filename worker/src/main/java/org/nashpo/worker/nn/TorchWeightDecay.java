package org.nashpo.worker.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * PyTorch's {@code SGD(weight_decay=λ)}: λ·p is added to the gradient before the momentum step
 * (DL4J's L2, whose step this keeps). It contributes nothing to the reported loss, as in PyTorch,
 * so DL4J's score is the cross-entropy alone and no penalty pass has to be computed (and timed)
 * to take it back out. It is an {@link L2Regularization} so that DL4J's layer validation, which
 * merges the network's regularisation into each layer's, counts it once.
 */
public final class TorchWeightDecay extends L2Regularization {

    private static final long serialVersionUID = 1L;

    public TorchWeightDecay(double coefficient) {
        this(new FixedSchedule(requireValid(coefficient)));
    }

    public TorchWeightDecay(@JsonProperty("l2") ISchedule l2) {
        super(l2);
    }

    private static double requireValid(double coefficient) {
        if (!(coefficient >= 0) || Double.isInfinite(coefficient)) {
            throw new IllegalArgumentException("weight decay: must be a finite number ≥ 0, was " + coefficient);
        }
        return coefficient;
    }

    @Override
    public double score(INDArray param, int iteration, int epoch) {
        return 0;
    }

    @Override
    public TorchWeightDecay clone() {
        return new TorchWeightDecay(l2.clone());
    }
}
