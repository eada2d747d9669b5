package org.nashpo.worker.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's {@code SGD(momentum=μ, nesterov=True, weight_decay=λ)} step over whole flat arrays:
 * {@code d = g + λp; b ← μb + d; p ← p − lr·(d + μb)}. The momentum buffer starts at zero, so the
 * first step sets it to {@code d}, as PyTorch's does.
 */
public final class NesterovSgd {

    private NesterovSgd() {
    }

    /**
     * One step; {@code gradient} is overwritten with the direction taken.
     *
     * @param mask null, or 1 where a parameter takes the step and 0 where it stays put (has never had a gradient)
     */
    public static void step(INDArray parameters, INDArray gradient, INDArray momentum, INDArray mask,
            double learningRate, double mu, double weightDecay) {
        if (weightDecay != 0) {
            Nd4j.exec(new Axpy(parameters, gradient, gradient, weightDecay));
        }
        if (mask != null) {
            gradient.muli(mask);
        }
        momentum.muli(mu).addi(gradient);
        Nd4j.exec(new Axpy(momentum, gradient, gradient, mu));
        Nd4j.exec(new Axpy(gradient, parameters, parameters, -learningRate));
    }
}
