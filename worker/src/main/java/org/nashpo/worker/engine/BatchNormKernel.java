package org.nashpo.worker.engine;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.RecursiveAction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * BatchNorm over an NCHW array, forward with the batch statistics and backward, PyTorch's semantics
 * ({@code nn.BatchNorm2d} in training mode: normalised with the biased batch variance, the running variance
 * updated with the unbiased one), computed over the engine's own memory in as few passes as the arithmetic
 * allows: the statistics in one pass (the sums of the deviations from a pivot, one of the channel's own values,
 * and of their squares, so the variance does not cancel as E[x²] − E[x]² would), the output in one affine map;
 * the backward in one pass for Σdy and Σdy·(x−μ) and one map {@code dx = k₁·dy + k₂·x + k₃} written straight into
 * the input's gradient (added to it when another op wrote it first).
 *
 * <p>Each pass walks the images in memory order: an image's C·H·W values are one contiguous run, copied to a
 * per-thread array (64 KB at 16 × 32 × 32) and computed there per channel with several accumulators, where the JIT
 * vectorises the maps; per-channel sums are carried in double. The images are split across the run's threads when
 * a call is large enough to pay for the hand-off, each thread summing into its own per-channel arrays.
 * {@link #fold} serves inference instead when the BatchNorm's convolution can take it.
 */
abstract class BatchNormKernel {

    /** Below this many values a call runs on the calling thread alone. */
    private static final long PARALLEL_FROM = 1 << 16;

    /** γ, β, the running mean and variance, dγ, dβ: read and written through their memory, not as ND4J ops. */
    static final int GAMMA = 0;
    static final int BETA = 1;
    static final int RUNNING_MEAN = 2;
    static final int RUNNING_VAR = 3;
    static final int D_GAMMA = 4;
    static final int D_BETA = 5;

    final int images;
    final int channels;
    final int plane;
    private final double eps;
    private final double momentum;
    private final int threads;
    /** Saved by the training forward for the backward: the batch mean, biased variance and 1/√(var + eps). */
    final double[] mean;
    final double[] variance;
    final double[] invStd;
    private final double[] gamma;
    private final double[] beta;
    private final double[] runningMean;
    private final double[] runningVar;
    /** A pass's per-channel coefficients (the map's scale and shift; the backward's k₁, k₂, k₃). */
    private final double[] k1;
    private final double[] k2;
    private final double[] k3;
    /** Per thread: per-channel sums of a reduction pass (two per channel), combined after the pass. */
    private final double[][] sums;
    /**
     * The arrays whose memory the kernel reads and writes through buffers of its own: held so their memory
     * (freed when an array is collected) lives as long as the kernel.
     */
    private final INDArray[] arrays;
    private final boolean hasInputGradient;
    /** The convolution folded into: its weights [C, …] and bias (null: none), and where the folded ones go. */
    private INDArray[] foldArrays;

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
        this.threads = Math.max(1, Math.min(threads, images));
        this.mean = new double[channels];
        this.variance = new double[channels];
        this.invStd = new double[channels];
        this.gamma = new double[channels];
        this.beta = new double[channels];
        this.runningMean = new double[channels];
        this.runningVar = new double[channels];
        this.k1 = new double[channels];
        this.k2 = new double[channels];
        this.k3 = new double[channels];
        this.sums = new double[this.threads][2 * channels];
        this.arrays = new INDArray[] {x, y, gamma, beta, runningMean, runningVar, gy, gx, dGamma, dBeta};
        for (INDArray v : new INDArray[] {gamma, beta, runningMean, runningVar, dGamma, dBeta}) {
            if (v != null && (v.length() != channels || !v.isVector() && v.rank() > 1 || v.elementWiseStride() != 1)) {
                throw new IllegalArgumentException("BatchNorm: per-channel vectors of " + channels + ", was "
                        + v.shapeInfoToString());
            }
        }
        this.hasInputGradient = gx != null;
    }

    /** Slots: one per thread a pass may use. */
    final int slots() {
        return threads;
    }

    /** y = γ·(x − μ_B)/√(σ²_B + ε) + β with the batch's statistics, and the running statistics updated. */
    final void forwardTraining() {
        read(GAMMA, gamma);
        read(BETA, beta);
        // the pivot of each channel: its first value
        for (int c = 0; c < channels; c++) {
            k1[c] = value(c * plane);
        }
        run(Pass.STATISTICS);
        double count = (double) images * plane;
        double[] total = combined();
        for (int c = 0; c < channels; c++) {
            double shift = total[2 * c] / count;
            mean[c] = k1[c] + shift;
            variance[c] = Math.max(0, total[2 * c + 1] / count - shift * shift);
            invStd[c] = 1 / Math.sqrt(variance[c] + eps);
            k1[c] = gamma[c] * invStd[c];
            k2[c] = beta[c] - mean[c] * k1[c];
        }
        run(Pass.MAP);
        double unbiased = count > 1 ? count / (count - 1) : 1;
        read(RUNNING_MEAN, runningMean);
        read(RUNNING_VAR, runningVar);
        for (int c = 0; c < channels; c++) {
            runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean[c];
            runningVar[c] = (1 - momentum) * runningVar[c] + momentum * variance[c] * unbiased;
        }
        write(RUNNING_MEAN, runningMean);
        write(RUNNING_VAR, runningVar);
    }

    /** y = γ·(x − running mean)/√(running var + ε) + β. */
    final void forwardInference() {
        inferenceAffine();
        run(Pass.MAP);
    }

    /** k₁ = γ/√(running var + ε) and k₂ = β − k₁·running mean: inference's y = k₁·x + k₂. */
    private void inferenceAffine() {
        read(GAMMA, gamma);
        read(BETA, beta);
        read(RUNNING_MEAN, runningMean);
        read(RUNNING_VAR, runningVar);
        for (int c = 0; c < channels; c++) {
            k1[c] = gamma[c] / Math.sqrt(runningVar[c] + eps);
            k2[c] = beta[c] - runningMean[c] * k1[c];
        }
    }

    /** dx, dγ and dβ from dy, with the statistics of the last training forward. */
    final void backward() {
        run(Pass.GRADIENT_SUMS);
        double count = (double) images * plane;
        double[] total = combined();
        double[] dGamma = new double[channels];
        double[] dBeta = new double[channels];
        for (int c = 0; c < channels; c++) {
            double sumDy = total[2 * c];
            double sumDyDev = total[2 * c + 1];
            double s = invStd[c];
            k1[c] = gamma[c] * s;
            k2[c] = -gamma[c] * s * s * s * sumDyDev / count;
            k3[c] = -k1[c] * sumDy / count - k2[c] * mean[c];
            dGamma[c] = sumDyDev * s;
            dBeta[c] = sumDy;
        }
        if (hasInputGradient) {
            run(Pass.INPUT_GRADIENT);
        }
        write(D_GAMMA, dGamma);
        write(D_BETA, dBeta);
    }

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
     * weights k₁·W and bias k₁·bias + k₂ per output channel (k₁, k₂ inference's affine map).
     */
    final void fold() {
        inferenceAffine();
        scaleWeights(k1, k2, (int) (foldArrays[0].length() / channels));
    }

    private enum Pass { STATISTICS, MAP, GRADIENT_SUMS, INPUT_GRADIENT }

    private void run(Pass pass) {
        for (double[] s : sums) {
            Arrays.fill(s, 0);
        }
        if (threads == 1 || (long) images * channels * plane < PARALLEL_FROM) {
            images(pass, 0, images, 0);
            return;
        }
        RecursiveAction[] parts = new RecursiveAction[threads];
        for (int t = 0; t < threads; t++) {
            int from = images * t / threads;
            int to = images * (t + 1) / threads;
            int slot = t;
            parts[t] = new RecursiveAction() {
                @Override
                protected void compute() {
                    images(pass, from, to, slot);
                }
            };
        }
        KernelThreads.of(threads).invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                invokeAll(parts);
            }
        });
    }

    private void images(Pass pass, int from, int to, int slot) {
        double[] s = sums[slot];
        for (int n = from; n < to; n++) {
            int at = n * channels * plane;
            switch (pass) {
                case STATISTICS -> shiftedSums(at, k1, s, slot);
                case MAP -> map(at, k1, k2, slot);
                case GRADIENT_SUMS -> gradientSums(at, mean, s, slot);
                case INPUT_GRADIENT -> inputGradient(at, k1, k2, k3, slot);
            }
        }
    }

    /** The threads' per-channel sums added up. */
    private double[] combined() {
        double[] total = sums[0];
        for (int t = 1; t < sums.length; t++) {
            for (int i = 0; i < total.length; i++) {
                total[i] += sums[t][i];
            }
        }
        return total;
    }

    /** The input's value at {@code at}. */
    abstract double value(int at);

    /** Per channel c of the image at {@code at}: Σ (x − p_c) into {@code out[2c]}, Σ (x − p_c)² into {@code out[2c+1]}. */
    abstract void shiftedSums(int at, double[] pivot, double[] out, int slot);

    /** y = a_c·x + b_c over the image at {@code at}. */
    abstract void map(int at, double[] a, double[] b, int slot);

    /** Per channel: Σ dy into {@code out[2c]}, Σ dy·(x − μ_c) into {@code out[2c+1]}. */
    abstract void gradientSums(int at, double[] mu, double[] out, int slot);

    /** dx = k₁·dy + k₂·x + k₃ per channel over the image (added to dx when it accumulates). */
    abstract void inputGradient(int at, double[] k1, double[] k2, double[] k3, int slot);

    abstract void bindFoldBuffers(INDArray weight, INDArray bias, INDArray foldedWeight, INDArray foldedBias);

    /** Folded weights a_c·W_c (each channel's {@code per} weights), folded bias a_c·bias_c + b_c. */
    abstract void scaleWeights(double[] a, double[] b, int per);

    /** The per-channel vector {@code which} into {@code into}. */
    abstract void read(int which, double[] into);

    /** {@code from} into the per-channel vector {@code which}. */
    abstract void write(int which, double[] from);

    /** float32: channels' planes computed in float with several accumulators, summed across planes in double. */
    private static final class F32 extends BatchNormKernel {
        private final FloatBuffer x;
        private final FloatBuffer y;
        private final FloatBuffer gy;
        private final FloatBuffer gx;
        private final boolean accumulate;
        private final float[][] xs;
        private final float[][] gs;
        private final FloatBuffer[] vectors;
        private FloatBuffer weight;
        private FloatBuffer bias;
        private FloatBuffer foldedWeight;
        private FloatBuffer foldedBias;

        F32(INDArray x, INDArray y, INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar,
                INDArray gy, INDArray gx, INDArray dGamma, INDArray dBeta, boolean accumulate, double eps,
                double momentum, int threads) {
            super(x, y, gamma, beta, runningMean, runningVar, gy, gx, dGamma, dBeta, eps, momentum, threads);
            this.x = KernelThreads.floats(x);
            this.y = KernelThreads.floats(y);
            this.gy = KernelThreads.floats(gy);
            this.gx = KernelThreads.floats(gx);
            this.accumulate = accumulate;
            int image = channels * plane;
            xs = new float[slots()][image];
            gs = new float[gy == null ? 0 : slots()][image];
            vectors = new FloatBuffer[] {KernelThreads.floats(gamma), KernelThreads.floats(beta),
                KernelThreads.floats(runningMean), KernelThreads.floats(runningVar), KernelThreads.floats(dGamma),
                KernelThreads.floats(dBeta)};
        }

        @Override
        double value(int at) {
            return x.get(at);
        }

        @Override
        void shiftedSums(int at, double[] pivot, double[] out, int slot) {
            float[] v = xs[slot];
            x.get(at, v, 0, v.length);
            for (int c = 0; c < channels; c++) {
                float p = (float) pivot[c];
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                float q0 = 0, q1 = 0, q2 = 0, q3 = 0;
                int i = c * plane;
                int end = i + plane;
                for (; i + 3 < end; i += 4) {
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
                for (; i < end; i++) {
                    float d = v[i] - p;
                    s0 += d;
                    q0 += d * d;
                }
                out[2 * c] += (double) s0 + s1 + s2 + s3;
                out[2 * c + 1] += (double) q0 + q1 + q2 + q3;
            }
        }

        @Override
        void map(int at, double[] a, double[] b, int slot) {
            float[] v = xs[slot];
            x.get(at, v, 0, v.length);
            for (int c = 0; c < channels; c++) {
                float fa = (float) a[c];
                float fb = (float) b[c];
                int end = (c + 1) * plane;
                for (int i = c * plane; i < end; i++) {
                    v[i] = v[i] * fa + fb;
                }
            }
            y.put(at, v, 0, v.length);
        }

        @Override
        void gradientSums(int at, double[] mu, double[] out, int slot) {
            float[] v = xs[slot];
            float[] g = gs[slot];
            x.get(at, v, 0, v.length);
            gy.get(at, g, 0, g.length);
            for (int c = 0; c < channels; c++) {
                float m = (float) mu[c];
                float a0 = 0, a1 = 0, b0 = 0, b1 = 0;
                int i = c * plane;
                int end = i + plane;
                for (; i + 1 < end; i += 2) {
                    a0 += g[i];
                    a1 += g[i + 1];
                    b0 += g[i] * (v[i] - m);
                    b1 += g[i + 1] * (v[i + 1] - m);
                }
                for (; i < end; i++) {
                    a0 += g[i];
                    b0 += g[i] * (v[i] - m);
                }
                out[2 * c] += (double) a0 + a1;
                out[2 * c + 1] += (double) b0 + b1;
            }
        }

        @Override
        void inputGradient(int at, double[] k1, double[] k2, double[] k3, int slot) {
            float[] v = xs[slot];
            float[] g = gs[slot];
            x.get(at, v, 0, v.length);
            gy.get(at, g, 0, g.length);
            for (int c = 0; c < channels; c++) {
                float f1 = (float) k1[c];
                float f2 = (float) k2[c];
                float f3 = (float) k3[c];
                int end = (c + 1) * plane;
                for (int i = c * plane; i < end; i++) {
                    g[i] = f1 * g[i] + f2 * v[i] + f3;
                }
            }
            if (accumulate) {
                gx.get(at, v, 0, v.length);
                for (int i = 0; i < v.length; i++) {
                    g[i] += v[i];
                }
            }
            gx.put(at, g, 0, g.length);
        }

        @Override
        void bindFoldBuffers(INDArray weight, INDArray bias, INDArray foldedWeight, INDArray foldedBias) {
            this.weight = KernelThreads.floats(weight);
            this.bias = KernelThreads.floats(bias);
            this.foldedWeight = KernelThreads.floats(foldedWeight);
            this.foldedBias = KernelThreads.floats(foldedBias);
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
        private DoubleBuffer weight;
        private DoubleBuffer bias;
        private DoubleBuffer foldedWeight;
        private DoubleBuffer foldedBias;

        F64(INDArray x, INDArray y, INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar,
                INDArray gy, INDArray gx, INDArray dGamma, INDArray dBeta, boolean accumulate, double eps,
                double momentum, int threads) {
            super(x, y, gamma, beta, runningMean, runningVar, gy, gx, dGamma, dBeta, eps, momentum, threads);
            this.x = KernelThreads.doubles(x);
            this.y = KernelThreads.doubles(y);
            this.gy = KernelThreads.doubles(gy);
            this.gx = KernelThreads.doubles(gx);
            this.accumulate = accumulate;
            int image = channels * plane;
            xs = new double[slots()][image];
            gs = new double[gy == null ? 0 : slots()][image];
            vectors = new DoubleBuffer[] {KernelThreads.doubles(gamma), KernelThreads.doubles(beta),
                KernelThreads.doubles(runningMean), KernelThreads.doubles(runningVar), KernelThreads.doubles(dGamma),
                KernelThreads.doubles(dBeta)};
        }

        @Override
        double value(int at) {
            return x.get(at);
        }

        @Override
        void shiftedSums(int at, double[] pivot, double[] out, int slot) {
            double[] v = xs[slot];
            x.get(at, v, 0, v.length);
            for (int c = 0; c < channels; c++) {
                double p = pivot[c];
                double s = 0;
                double q = 0;
                int end = (c + 1) * plane;
                for (int i = c * plane; i < end; i++) {
                    double d = v[i] - p;
                    s += d;
                    q += d * d;
                }
                out[2 * c] += s;
                out[2 * c + 1] += q;
            }
        }

        @Override
        void map(int at, double[] a, double[] b, int slot) {
            double[] v = xs[slot];
            x.get(at, v, 0, v.length);
            for (int c = 0; c < channels; c++) {
                int end = (c + 1) * plane;
                for (int i = c * plane; i < end; i++) {
                    v[i] = v[i] * a[c] + b[c];
                }
            }
            y.put(at, v, 0, v.length);
        }

        @Override
        void gradientSums(int at, double[] mu, double[] out, int slot) {
            double[] v = xs[slot];
            double[] g = gs[slot];
            x.get(at, v, 0, v.length);
            gy.get(at, g, 0, g.length);
            for (int c = 0; c < channels; c++) {
                double a = 0;
                double b = 0;
                int end = (c + 1) * plane;
                for (int i = c * plane; i < end; i++) {
                    a += g[i];
                    b += g[i] * (v[i] - mu[c]);
                }
                out[2 * c] += a;
                out[2 * c + 1] += b;
            }
        }

        @Override
        void inputGradient(int at, double[] k1, double[] k2, double[] k3, int slot) {
            double[] v = xs[slot];
            double[] g = gs[slot];
            x.get(at, v, 0, v.length);
            gy.get(at, g, 0, g.length);
            for (int c = 0; c < channels; c++) {
                int end = (c + 1) * plane;
                for (int i = c * plane; i < end; i++) {
                    g[i] = k1[c] * g[i] + k2[c] * v[i] + k3[c];
                }
            }
            if (accumulate) {
                gx.get(at, v, 0, v.length);
                for (int i = 0; i < v.length; i++) {
                    g[i] += v[i];
                }
            }
            gx.put(at, g, 0, g.length);
        }

        @Override
        void bindFoldBuffers(INDArray weight, INDArray bias, INDArray foldedWeight, INDArray foldedBias) {
            this.weight = KernelThreads.doubles(weight);
            this.bias = KernelThreads.doubles(bias);
            this.foldedWeight = KernelThreads.doubles(foldedWeight);
            this.foldedBias = KernelThreads.doubles(foldedBias);
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
    }
}
