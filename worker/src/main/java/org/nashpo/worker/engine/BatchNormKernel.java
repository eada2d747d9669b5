package org.nashpo.worker.engine;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * BatchNorm over an NCHW array, forward with the batch statistics and backward, PyTorch's semantics
 * ({@code nn.BatchNorm2d} in training mode: normalised with the biased batch variance, the running variance
 * updated with the unbiased one), computed over the engine's own memory: each channel's N planes are
 * contiguous runs of H·W values, so a channel's statistics are one pass over its planes (the sums of the
 * deviations from a pivot, one of the channel's values, and of their squares) and its output one affine map;
 * the backward is one fused
 * pass for Σdy and Σdy·(x−μ) and one map {@code dx = k₁·dy + k₂·x + k₃} written straight into the input's
 * gradient (added to it when another op wrote it first). Channels are split across the run's threads when
 * a call is large enough to pay for the hand-off.
 *
 * <p>Each plane is copied to a per-thread array (a 4 KB memcpy at 32×32) and computed there with several
 * accumulators, where the JIT vectorises the maps; sums are carried in double across planes.
 */
abstract class BatchNormKernel {

    /** Below this many values a call runs on the calling thread alone. */
    private static final long PARALLEL_FROM = 1 << 16;

    final int images;
    final int channels;
    final int plane;
    private final double eps;
    private final double momentum;
    private final int threads;
    /** Saved by the training forward for the backward: the batch mean and 1/√(var + eps) per channel. */
    final double[] mean;
    final double[] invStd;
    /** The batch's biased variance per channel, from the training forward. */
    final double[] variance;
    private final double[] gamma;
    private final double[] beta;
    private final double[] dGamma;
    private final double[] dBeta;

    /** γ, β, the running mean and variance, dγ, dβ: read and written through their memory, not as ND4J ops. */
    static final int GAMMA = 0;
    static final int BETA = 1;
    static final int RUNNING_MEAN = 2;
    static final int RUNNING_VAR = 3;
    static final int D_GAMMA = 4;
    static final int D_BETA = 5;
    private final double[] runningMean;
    private final double[] runningVar;
    /**
     * The arrays whose memory the kernel reads and writes through buffers of its own: held so their memory
     * (freed when an array is collected) lives as long as the kernel.
     */
    private final INDArray[] arrays;
    private final boolean hasInputGradient;

    /**
     * @param x the input, [N, C, H, W] in c order
     * @param y the output, same shape
     * @param gy the output's gradient (null without a backward)
     * @param gx the input's gradient (null without a backward, or when the input has none)
     * @param accumulate whether the backward adds to {@code gx} (another op wrote it first) or assigns it
     */
    static BatchNormKernel create(INDArray x, INDArray y, INDArray gamma, INDArray beta, INDArray runningMean,
            INDArray runningVar, INDArray gy, INDArray gx, INDArray dGamma, INDArray dBeta, boolean accumulate,
            double eps, double momentum, int threads) {
        return x.dataType() == DataType.FLOAT
                ? new F32(x, y, gamma, beta, runningMean, runningVar, gy, gx, dGamma, dBeta, accumulate, eps,
                        momentum, threads)
                : new F64(x, y, gamma, beta, runningMean, runningVar, gy, gx, dGamma, dBeta, accumulate, eps,
                        momentum, threads);
    }

    BatchNormKernel(INDArray x, INDArray y, INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar,
            INDArray gy, INDArray gx, INDArray dGamma, INDArray dBeta, double eps, double momentum, int threads) {
        if (x.rank() != 4 || !x.isR() || x.ordering() != 'c' || x.elementWiseStride() != 1) {
            throw new IllegalArgumentException("BatchNorm: a contiguous [N, C, H, W] array, was " + x.shapeInfoToString());
        }
        this.images = (int) x.size(0);
        this.channels = (int) x.size(1);
        this.plane = (int) (x.size(2) * x.size(3));
        this.eps = eps;
        this.momentum = momentum;
        this.threads = Math.max(1, Math.min(threads, channels));
        this.mean = new double[channels];
        this.invStd = new double[channels];
        this.variance = new double[channels];
        this.gamma = new double[channels];
        this.beta = new double[channels];
        this.dGamma = new double[channels];
        this.dBeta = new double[channels];
        this.runningMean = new double[channels];
        this.runningVar = new double[channels];
        this.arrays = new INDArray[] {x, y, gamma, beta, runningMean, runningVar, gy, gx, dGamma, dBeta};
        for (INDArray v : new INDArray[] {gamma, beta, runningMean, runningVar, dGamma, dBeta}) {
            if (v != null && (v.length() != channels || !v.isVector() && v.rank() > 1 || v.elementWiseStride() != 1)) {
                throw new IllegalArgumentException("BatchNorm: per-channel vectors of " + channels + ", was "
                        + v.shapeInfoToString());
            }
        }
        this.hasInputGradient = gx != null;
    }

    /** y = γ·(x − μ_B)/√(σ²_B + ε) + β with the batch's statistics, and the running statistics updated. */
    final void forwardTraining() {
        read(GAMMA, gamma);
        read(BETA, beta);
        run(Pass.TRAIN);
        double n = (double) images * plane;
        double unbiased = n > 1 ? n / (n - 1) : 1;
        double[] rm = runningMean;
        double[] rv = runningVar;
        read(RUNNING_MEAN, rm);
        read(RUNNING_VAR, rv);
        for (int c = 0; c < channels; c++) {
            rm[c] = (1 - momentum) * rm[c] + momentum * mean[c];
            rv[c] = (1 - momentum) * rv[c] + momentum * variance[c] * unbiased;
        }
        write(RUNNING_MEAN, rm);
        write(RUNNING_VAR, rv);
    }

    /** y = γ·(x − running mean)/√(running var + ε) + β. */
    final void forwardInference() {
        read(GAMMA, gamma);
        read(BETA, beta);
        double[] rm = runningMean;
        double[] rv = runningVar;
        read(RUNNING_MEAN, rm);
        read(RUNNING_VAR, rv);
        for (int c = 0; c < channels; c++) {
            mean[c] = rm[c];
            invStd[c] = 1 / Math.sqrt(rv[c] + eps);
        }
        run(Pass.INFER);
    }

    /** dx, dγ and dβ from dy, with the statistics of the last training forward. */
    final void backward() {
        run(Pass.BACKWARD);
        write(D_GAMMA, dGamma);
        write(D_BETA, dBeta);
    }

    /** The convolution folded into: its weights [C, …] and bias (null: none), and where the folded ones go. */
    private INDArray[] foldArrays;

    /**
     * Binds the convolution whose output this BatchNorm alone reads, for {@link #fold}: its weights (output
     * channels first, as this BatchNorm's channels) and bias (null: none), and the arrays its folded weights
     * and bias go to.
     */
    final void bindFold(INDArray weight, INDArray bias, INDArray foldedWeight, INDArray foldedBias) {
        if (weight.size(0) != channels || foldedWeight.length() != weight.length() || foldedBias.length() != channels) {
            throw new IllegalArgumentException("BatchNorm of " + channels + " channels: cannot fold a convolution of "
                    + weight.shapeInfoToString());
        }
        foldArrays = new INDArray[] {weight, bias, foldedWeight, foldedBias};
        bindFoldBuffers(weight, bias, foldedWeight, foldedBias);
    }

    /**
     * Inference folded into the bound convolution, from the current parameters and running statistics:
     * weights a_c·W_c and bias a_c·bias_c + b_c, with a = γ/√(running var + ε) and b = β − a·running mean.
     */
    final void fold() {
        read(GAMMA, gamma);
        read(BETA, beta);
        read(RUNNING_MEAN, runningMean);
        read(RUNNING_VAR, runningVar);
        for (int c = 0; c < channels; c++) {
            mean[c] = gamma[c] / Math.sqrt(runningVar[c] + eps);
            invStd[c] = beta[c] - runningMean[c] * mean[c];
        }
        // mean and invStd lent as the scale a and shift b: inference needs neither statistic
        scaleWeights(mean, invStd, (int) (foldArrays[0].length() / channels));
    }

    abstract void bindFoldBuffers(INDArray weight, INDArray bias, INDArray foldedWeight, INDArray foldedBias);

    /** Folded weights a_c·W_c (each channel's {@code per} weights), folded bias a_c·bias_c + b_c. */
    abstract void scaleWeights(double[] a, double[] b, int per);

    /** The per-channel vector {@code which} into {@code into}. */
    abstract void read(int which, double[] into);

    /** {@code from} into the per-channel vector {@code which}. */
    abstract void write(int which, double[] from);

    private enum Pass { TRAIN, INFER, BACKWARD }

    private void run(Pass pass) {
        if (threads == 1 || (long) images * channels * plane < PARALLEL_FROM) {
            channels(pass, 0, channels, 0);
            return;
        }
        ForkJoinPool pool = Pools.of(threads);
        RecursiveAction[] parts = new RecursiveAction[threads];
        for (int t = 0; t < threads; t++) {
            int from = channels * t / threads;
            int to = channels * (t + 1) / threads;
            int slot = t;
            parts[t] = new RecursiveAction() {
                @Override
                protected void compute() {
                    channels(pass, from, to, slot);
                }
            };
        }
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                invokeAll(parts);
            }
        });
    }

    private void channels(Pass pass, int from, int to, int slot) {
        long count = (long) images * plane;
        double[] pair = new double[2];
        for (int c = from; c < to; c++) {
            switch (pass) {
                case TRAIN -> {
                    // one pass: Σ(x − p) and Σ(x − p)² about a pivot p from the channel's own values, so that
                    // the variance E[(x − p)²] − (E[x − p])² does not cancel as E[x²] − E[x]² would
                    double pivot = value(offset(0, c));
                    double sum = 0;
                    double squares = 0;
                    for (int n = 0; n < images; n++) {
                        shiftedSums(offset(n, c), pivot, slot, pair);
                        sum += pair[0];
                        squares += pair[1];
                    }
                    double shift = sum / count;
                    mean[c] = pivot + shift;
                    variance[c] = Math.max(0, squares / count - shift * shift);
                    invStd[c] = 1 / Math.sqrt(variance[c] + eps);
                    affine(c, slot);
                }
                case INFER -> affine(c, slot);
                case BACKWARD -> {
                    double mu = mean[c];
                    double sumDy = 0;
                    double sumDyDev = 0;
                    for (int n = 0; n < images; n++) {
                        gradientSums(offset(n, c), mu, slot, pair);
                        sumDy += pair[0];
                        sumDyDev += pair[1];
                    }
                    double s = invStd[c];
                    double k1 = gamma[c] * s;
                    double k2 = -gamma[c] * s * s * s * sumDyDev / count;
                    double k3 = -k1 * sumDy / count - k2 * mu;
                    for (int n = 0; hasInputGradient && n < images; n++) {
                        inputGradient(offset(n, c), k1, k2, k3, slot);
                    }
                    dGamma[c] = sumDyDev * s;
                    dBeta[c] = sumDy;
                }
            }
        }
    }

    private void affine(int c, int slot) {
        double a = gamma[c] * invStd[c];
        double b = beta[c] - mean[c] * a;
        for (int n = 0; n < images; n++) {
            map(offset(n, c), a, b, slot);
        }
    }

    private int offset(int n, int c) {
        return (n * channels + c) * plane;
    }

    /** The input's value at {@code at}. */
    abstract double value(int at);

    /** Σ (x − p) and Σ (x − p)² over the plane at {@code at}, into {@code out[0]}, {@code out[1]}. */
    abstract void shiftedSums(int at, double pivot, int slot, double[] out);

    /** y = a·x + b over the plane. */
    abstract void map(int at, double a, double b, int slot);

    /** Σ dy and Σ dy·(x − μ) over the plane, into {@code out[0]}, {@code out[1]}. */
    abstract void gradientSums(int at, double mu, int slot, double[] out);

    /** dx = k₁·dy + k₂·x + k₃ over the plane (added to dx when it accumulates). */
    abstract void inputGradient(int at, double k1, double k2, double k3, int slot);

    /** One fork–join pool per thread count, shared by every engine of the process. */
    private static final class Pools {
        private static final java.util.concurrent.ConcurrentHashMap<Integer, ForkJoinPool> POOLS =
                new java.util.concurrent.ConcurrentHashMap<>();

        static ForkJoinPool of(int threads) {
            return POOLS.computeIfAbsent(threads, t -> new ForkJoinPool(t, pool -> {
                var w = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                w.setDaemon(true);
                w.setName("nashpo-batchnorm-" + w.getPoolIndex());
                return w;
            }, null, false));
        }
    }

    private static FloatBuffer floats(INDArray a) {
        return a == null ? null : new FloatPointer(a.data().addressPointer()).capacity(a.length()).limit(a.length())
                .position(0).asBuffer();
    }

    private static DoubleBuffer doubles(INDArray a) {
        return a == null ? null : new DoublePointer(a.data().addressPointer()).capacity(a.length()).limit(a.length())
                .position(0).asBuffer();
    }

    /** float32: planes computed in float with four accumulators, summed across planes in double. */
    private static final class F32 extends BatchNormKernel {
        private final FloatBuffer x;
        private final FloatBuffer y;
        private final FloatBuffer gy;
        private final FloatBuffer gx;
        private final boolean accumulate;
        private final float[][] xs;
        private final float[][] gs;
        private final FloatBuffer[] vectors;

        F32(INDArray x, INDArray y, INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar,
                INDArray gy, INDArray gx, INDArray dGamma, INDArray dBeta, boolean accumulate, double eps,
                double momentum, int threads) {
            super(x, y, gamma, beta, runningMean, runningVar, gy, gx, dGamma, dBeta, eps, momentum, threads);
            this.x = floats(x);
            this.y = floats(y);
            this.gy = floats(gy);
            this.gx = floats(gx);
            this.accumulate = accumulate;
            int slots = Math.max(1, Math.min(threads, channels));
            xs = new float[slots][plane];
            gs = new float[slots][plane];
            vectors = new FloatBuffer[] {floats(gamma), floats(beta), floats(runningMean), floats(runningVar),
                floats(dGamma), floats(dBeta)};
        }

        private FloatBuffer weight;
        private FloatBuffer bias;
        private FloatBuffer foldedWeight;
        private FloatBuffer foldedBias;

        @Override
        void bindFoldBuffers(INDArray weight, INDArray bias, INDArray foldedWeight, INDArray foldedBias) {
            this.weight = floats(weight);
            this.bias = floats(bias);
            this.foldedWeight = floats(foldedWeight);
            this.foldedBias = floats(foldedBias);
        }

        @Override
        void scaleWeights(double[] a, double[] b, int per) {
            for (int c = 0; c < channels; c++) {
                float ac = (float) a[c];
                int from = c * per;
                for (int i = from; i < from + per; i++) {
                    foldedWeight.put(i, weight.get(i) * ac);
                }
                foldedBias.put(c, (float) (a[c] * (bias == null ? 0 : bias.get(c)) + b[c]));
            }
        }

        @Override
        void read(int which, double[] into) {
            FloatBuffer b = vectors[which];
            for (int i = 0; i < into.length; i++) {
                into[i] = b.get(i);
            }
        }

        @Override
        void write(int which, double[] from) {
            FloatBuffer b = vectors[which];
            for (int i = 0; i < from.length; i++) {
                b.put(i, (float) from[i]);
            }
        }

        @Override
        double value(int at) {
            return x.get(at);
        }

        @Override
        void shiftedSums(int at, double pivot, int slot, double[] out) {
            float[] v = xs[slot];
            x.get(at, v, 0, plane);
            float p = (float) pivot;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            float q0 = 0, q1 = 0, q2 = 0, q3 = 0;
            int i = 0;
            for (; i + 3 < plane; i += 4) {
                float d0 = v[i] - p;
                float d1 = v[i + 1] - p;
                float d2 = v[i + 2] - p;
                float d3 = v[i + 3] - p;
                s0 += d0;
                s1 += d1;
                s2 += d2;
                s3 += d3;
                q0 += d0 * d0;
                q1 += d1 * d1;
                q2 += d2 * d2;
                q3 += d3 * d3;
            }
            for (; i < plane; i++) {
                float d = v[i] - p;
                s0 += d;
                q0 += d * d;
            }
            out[0] = (double) s0 + s1 + s2 + s3;
            out[1] = (double) q0 + q1 + q2 + q3;
        }

        @Override
        void map(int at, double a, double b, int slot) {
            float[] v = xs[slot];
            x.get(at, v, 0, plane);
            float fa = (float) a;
            float fb = (float) b;
            for (int i = 0; i < plane; i++) {
                v[i] = v[i] * fa + fb;
            }
            y.put(at, v, 0, plane);
        }

        @Override
        void gradientSums(int at, double mu, int slot, double[] out) {
            float[] v = xs[slot];
            float[] g = gs[slot];
            x.get(at, v, 0, plane);
            gy.get(at, g, 0, plane);
            float m = (float) mu;
            float a0 = 0, a1 = 0, b0 = 0, b1 = 0;
            int i = 0;
            for (; i + 1 < plane; i += 2) {
                a0 += g[i];
                a1 += g[i + 1];
                b0 += g[i] * (v[i] - m);
                b1 += g[i + 1] * (v[i + 1] - m);
            }
            for (; i < plane; i++) {
                a0 += g[i];
                b0 += g[i] * (v[i] - m);
            }
            out[0] = (double) a0 + a1;
            out[1] = (double) b0 + b1;
        }

        @Override
        void inputGradient(int at, double k1, double k2, double k3, int slot) {
            float[] v = xs[slot];
            float[] g = gs[slot];
            x.get(at, v, 0, plane);
            gy.get(at, g, 0, plane);
            float f1 = (float) k1;
            float f2 = (float) k2;
            float f3 = (float) k3;
            if (accumulate) {
                float[] d = v;
                for (int i = 0; i < plane; i++) {
                    g[i] = f1 * g[i] + f2 * v[i] + f3;
                }
                gx.get(at, d, 0, plane);
                for (int i = 0; i < plane; i++) {
                    g[i] += d[i];
                }
            } else {
                for (int i = 0; i < plane; i++) {
                    g[i] = f1 * g[i] + f2 * v[i] + f3;
                }
            }
            gx.put(at, g, 0, plane);
        }
    }

    /** float64, for the golden step test and double-precision runs: the same passes in double. */
    private static final class F64 extends BatchNormKernel {
        private final DoubleBuffer x;
        private final DoubleBuffer y;
        private final DoubleBuffer gy;
        private final DoubleBuffer gx;
        private final boolean accumulate;
        private final double[][] xs;
        private final double[][] gs;
        private final DoubleBuffer[] vectors;

        F64(INDArray x, INDArray y, INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar,
                INDArray gy, INDArray gx, INDArray dGamma, INDArray dBeta, boolean accumulate, double eps,
                double momentum, int threads) {
            super(x, y, gamma, beta, runningMean, runningVar, gy, gx, dGamma, dBeta, eps, momentum, threads);
            this.x = doubles(x);
            this.y = doubles(y);
            this.gy = doubles(gy);
            this.gx = doubles(gx);
            this.accumulate = accumulate;
            int slots = Math.max(1, Math.min(threads, channels));
            xs = new double[slots][plane];
            gs = new double[slots][plane];
            vectors = new DoubleBuffer[] {doubles(gamma), doubles(beta), doubles(runningMean), doubles(runningVar),
                doubles(dGamma), doubles(dBeta)};
        }

        private DoubleBuffer weight;
        private DoubleBuffer bias;
        private DoubleBuffer foldedWeight;
        private DoubleBuffer foldedBias;

        @Override
        void bindFoldBuffers(INDArray weight, INDArray bias, INDArray foldedWeight, INDArray foldedBias) {
            this.weight = doubles(weight);
            this.bias = doubles(bias);
            this.foldedWeight = doubles(foldedWeight);
            this.foldedBias = doubles(foldedBias);
        }

        @Override
        void scaleWeights(double[] a, double[] b, int per) {
            for (int c = 0; c < channels; c++) {
                int from = c * per;
                for (int i = from; i < from + per; i++) {
                    foldedWeight.put(i, weight.get(i) * a[c]);
                }
                foldedBias.put(c, a[c] * (bias == null ? 0 : bias.get(c)) + b[c]);
            }
        }

        @Override
        void read(int which, double[] into) {
            vectors[which].get(0, into, 0, into.length);
        }

        @Override
        void write(int which, double[] from) {
            vectors[which].put(0, from, 0, from.length);
        }

        @Override
        double value(int at) {
            return x.get(at);
        }

        @Override
        void shiftedSums(int at, double pivot, int slot, double[] out) {
            double[] v = xs[slot];
            x.get(at, v, 0, plane);
            double s = 0;
            double q = 0;
            for (int i = 0; i < plane; i++) {
                double d = v[i] - pivot;
                s += d;
                q += d * d;
            }
            out[0] = s;
            out[1] = q;
        }

        @Override
        void map(int at, double a, double b, int slot) {
            double[] v = xs[slot];
            x.get(at, v, 0, plane);
            for (int i = 0; i < plane; i++) {
                v[i] = v[i] * a + b;
            }
            y.put(at, v, 0, plane);
        }

        @Override
        void gradientSums(int at, double mu, int slot, double[] out) {
            double[] v = xs[slot];
            double[] g = gs[slot];
            x.get(at, v, 0, plane);
            gy.get(at, g, 0, plane);
            double a = 0;
            double b = 0;
            for (int i = 0; i < plane; i++) {
                a += g[i];
                b += g[i] * (v[i] - mu);
            }
            out[0] = a;
            out[1] = b;
        }

        @Override
        void inputGradient(int at, double k1, double k2, double k3, int slot) {
            double[] v = xs[slot];
            double[] g = gs[slot];
            x.get(at, v, 0, plane);
            gy.get(at, g, 0, plane);
            for (int i = 0; i < plane; i++) {
                g[i] = k1 * g[i] + k2 * v[i] + k3;
            }
            if (accumulate) {
                gx.get(at, v, 0, plane);
                for (int i = 0; i < plane; i++) {
                    g[i] += v[i];
                }
            }
            gx.put(at, g, 0, plane);
        }
    }
}
