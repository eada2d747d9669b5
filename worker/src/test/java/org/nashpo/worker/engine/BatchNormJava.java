package org.nashpo.worker.engine;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Design (d): the engine's own {@link BatchNormKernel} over the same arrays, on ND4J's thread count; the
 * batch statistics it keeps for its backward copied out to the arrays the designs compare.
 */
final class BatchNormJava implements BatchNormDesign {

    private final BatchNormArrays a;
    private final BatchNormKernel kernel;

    BatchNormJava(BatchNormArrays a) {
        this.a = a;
        this.kernel = BatchNormKernel.create(a.x, a.y, a.gamma, a.beta, a.runningMean, a.runningVar, a.dy, a.dx,
                a.dGamma, a.dBeta, false, CellEngine.BN_EPS, CellEngine.BN_MOMENTUM,
                Math.max(1, Nd4j.getEnvironment().maxMasterThreads()));
    }

    @Override
    public void forwardTraining() {
        kernel.forwardTraining();
        for (int c = 0; c < kernel.channels; c++) {
            a.mean.putScalar(c, kernel.mean[c]);
            a.variance.putScalar(c, kernel.variance[c]);
        }
    }

    @Override
    public void backward() {
        kernel.backward();
    }

    @Override
    public void close() {
    }
}
