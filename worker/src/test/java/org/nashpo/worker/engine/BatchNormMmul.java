package org.nashpo.worker.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Design (b): ND4J only, rearranged so that every reduction is a BLAS matrix–vector product against ones. x
 * [N, C, H, W] seen as [N·C, H·W] times ones[H·W] gives the per-(n, c) plane sums, and ones[N] times those
 * [N, C] the per-channel sums; the same for x² (squared into y, which the forward overwrites next), for dy,
 * and for dy·x (multiplied into dx, which the backward overwrites next). The C-long per-channel arithmetic
 * runs in Java in double.
 *
 * <p>Forward: two passes of sums (x, then x² after a squaring pass), the biased variance as E[x²] − μ²
 * (it loses digits to cancellation when |μ| ≫ σ; BatchNormDesignsTest's inputs have |μ| ≤ 1 and σ ≥ 0.5), then
 * {@code batchnorm} as the per-channel affine map.
 * Backward: dx = γ/σ · (dy − Σdy/M − x̂ · Σ(dy·x̂)/M), where Σ(dy·x̂) = (Σ dy·x − μ Σdy)/σ, as three passes:
 * {@code batchnorm} maps x to x̂·(−dγ/M) − dβ/M, dy is added, and the result is scaled by γ/σ per channel.
 */
final class BatchNormMmul implements BatchNormDesign {

    private static final CustomOp MATMUL = DynamicCustomOp.builder("matmul").build();
    private static final CustomOp BATCHNORM = DynamicCustomOp.builder("batchnorm").build();

    private final BatchNormArrays a;
    private final int channels;
    private final long m;
    private final List<OpContext> contexts = new ArrayList<>();
    private final List<INDArray> owned = new ArrayList<>();
    private final OpContext[] planeSums = new OpContext[4];
    private final OpContext[] channelSums = new OpContext[4];
    /** per-channel sums of x, x², dy, dy·x, each [1, C] */
    private final INDArray[] sums = new INDArray[4];
    private final OpContext affineForward;
    private final OpContext affineBackward;
    private final INDArray xHatScale;
    private final INDArray xHatShift;
    private final INDArray dyScale;

    BatchNormMmul(BatchNormArrays a) {
        this.a = a;
        long n = a.shape[0];
        channels = (int) a.shape[1];
        long plane = a.shape[2] * a.shape[3];
        m = n * plane;
        INDArray onesPlane = own(Nd4j.ones(a.type, plane, 1));
        INDArray onesBatch = own(Nd4j.ones(a.type, 1, n));
        // x², dy·x go to the array the same pass overwrites afterwards: y forward, dx backward
        INDArray[] sources = {a.x, a.y, a.dy, a.dx};
        for (int i = 0; i < 4; i++) {
            INDArray rows = own(Nd4j.zeros(a.type, n * channels, 1));
            sums[i] = own(Nd4j.zeros(a.type, 1, channels));
            planeSums[i] = context(new INDArray[] {sources[i].reshape('c', new long[] {n * channels, plane}), onesPlane},
                    new INDArray[] {rows}, new long[] {0, 0, 0}, new double[0]);
            channelSums[i] = context(new INDArray[] {onesBatch, rows.reshape('c', new long[] {n, channels})},
                    new INDArray[] {sums[i]}, new long[] {0, 0, 0}, new double[0]);
        }
        long[] args = {1, 1, 1};
        double[] eps = {CellEngine.BN_EPS};
        affineForward = context(new INDArray[] {a.x, a.mean, a.variance, a.gamma, a.beta}, new INDArray[] {a.y}, args,
                eps);
        xHatScale = own(Nd4j.zeros(a.type, channels));
        xHatShift = own(Nd4j.zeros(a.type, channels));
        dyScale = own(Nd4j.zeros(a.type, channels));
        affineBackward = context(new INDArray[] {a.x, a.mean, a.variance, xHatScale, xHatShift},
                new INDArray[] {a.dx}, args, eps);
    }

    private INDArray own(INDArray array) {
        owned.add(array);
        return array;
    }

    private OpContext context(INDArray[] in, INDArray[] out, long[] iArgs, double[] tArgs) {
        OpContext c = Plan.bind(in, out, iArgs, tArgs);
        contexts.add(c);
        return c;
    }

    private void sum(int i) {
        Nd4j.exec(MATMUL, planeSums[i]);
        Nd4j.exec(MATMUL, channelSums[i]);
    }

    @Override
    public void forwardTraining() {
        sum(0);
        Nd4j.exec(new MulOp(a.x, a.x, a.y));
        sum(1);
        double momentum = CellEngine.BN_MOMENTUM;
        double unbiased = m > 1 ? m / (m - 1.0) : 1;
        for (int k = 0; k < channels; k++) {
            double mu = sums[0].getDouble(0, k) / m;
            double var = Math.max(0, sums[1].getDouble(0, k) / m - mu * mu);
            a.mean.putScalar(k, mu);
            a.variance.putScalar(k, var);
            a.runningMean.putScalar(k, (1 - momentum) * a.runningMean.getDouble(k) + momentum * mu);
            a.runningVar.putScalar(k, (1 - momentum) * a.runningVar.getDouble(k) + momentum * unbiased * var);
        }
        Nd4j.exec(BATCHNORM, affineForward);
    }

    @Override
    public void backward() {
        sum(2);
        Nd4j.exec(new MulOp(a.dy, a.x, a.dx));
        sum(3);
        for (int k = 0; k < channels; k++) {
            double mu = a.mean.getDouble(k);
            double sigma = Math.sqrt(a.variance.getDouble(k) + CellEngine.BN_EPS);
            double dBeta = sums[2].getDouble(0, k);
            double dGamma = (sums[3].getDouble(0, k) - mu * dBeta) / sigma;
            a.dBeta.putScalar(k, dBeta);
            a.dGamma.putScalar(k, dGamma);
            xHatScale.putScalar(k, -dGamma / m);
            xHatShift.putScalar(k, -dBeta / m);
            dyScale.putScalar(k, a.gamma.getDouble(k) / sigma);
        }
        Nd4j.exec(BATCHNORM, affineBackward);
        a.dx.addi(a.dy);
        Nd4j.exec(new BroadcastMulOp(a.dx, dyScale, a.dx, 1));
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
