package org.nashpo.worker.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Design (c), the baseline: ND4J's declarable ops exactly as {@link Plan}'s BatchNorm step runs them —
 * {@code moments} for the batch statistics, {@code batchnorm} with them, the running statistics by scale and
 * axpy; {@code batchnorm_bp} backward — each op bound once to its own context.
 */
final class BatchNormOps implements BatchNormDesign {

    private static final CustomOp MOMENTS = DynamicCustomOp.builder("moments").build();
    private static final CustomOp BATCHNORM = DynamicCustomOp.builder("batchnorm").build();
    private static final CustomOp BATCHNORM_BP = DynamicCustomOp.builder("batchnorm_bp").build();

    private final BatchNormArrays a;
    private final List<OpContext> contexts = new ArrayList<>();
    private final List<INDArray> owned = new ArrayList<>();
    private final OpContext moments;
    private final OpContext train;
    private final OpContext backward;
    private final double unbiased;

    BatchNormOps(BatchNormArrays a) {
        this.a = a;
        long c = a.shape[1];
        moments = context(new INDArray[] {a.x}, new INDArray[] {a.mean, a.variance}, new long[] {0, 2, 3},
                new double[0]);
        long[] args = {1, 1, 1};
        double[] eps = {CellEngine.BN_EPS};
        train = context(new INDArray[] {a.x, a.mean, a.variance, a.gamma, a.beta}, new INDArray[] {a.y}, args, eps);
        INDArray dMean = Nd4j.zeros(a.type, c);
        INDArray dVariance = Nd4j.zeros(a.type, c);
        owned.add(dMean);
        owned.add(dVariance);
        backward = context(new INDArray[] {a.x, a.mean, a.variance, a.gamma, a.beta, a.dy},
                new INDArray[] {a.dx, dMean, dVariance, a.dGamma, a.dBeta}, args, eps);
        long m = a.x.length() / c;
        unbiased = m > 1 ? m / (m - 1.0) : 1;
    }

    private OpContext context(INDArray[] in, INDArray[] out, long[] iArgs, double[] tArgs) {
        OpContext c = Plan.bind(in, out, iArgs, tArgs);
        contexts.add(c);
        return c;
    }

    @Override
    public void forwardTraining() {
        Nd4j.exec(MOMENTS, moments);
        Nd4j.exec(BATCHNORM, train);
        a.runningMean.muli(1 - CellEngine.BN_MOMENTUM);
        Nd4j.exec(new Axpy(a.mean, a.runningMean, a.runningMean, CellEngine.BN_MOMENTUM));
        a.runningVar.muli(1 - CellEngine.BN_MOMENTUM);
        Nd4j.exec(new Axpy(a.variance, a.runningVar, a.runningVar, CellEngine.BN_MOMENTUM * unbiased));
    }

    @Override
    public void backward() {
        Nd4j.exec(BATCHNORM_BP, backward);
    }

    @Override
    public void close() {
        for (OpContext c : contexts) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing an op context", e);
            }
        }
        owned.forEach(INDArray::close);
    }
}
