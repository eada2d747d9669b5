package org.nashpo.worker.engine;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.concurrent.RecursiveAction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ReLU's backward over the engine's own memory: {@code dx = dy} where the output is positive, else 0, written
 * straight into the input's gradient or added to it (another op wrote it first) — one pass where ND4J's
 * {@code relu_bp} into a scratch array and an add take two. Blocks of the arrays are split across the run's
 * threads when a call is large enough to pay for the hand-off.
 */
abstract class ReluKernel {

    private static final int BLOCK = 1 << 14;

    final int length;
    final boolean accumulate;
    private final int threads;
    /** Held so the memory the buffers view lives as long as the kernel. */
    private final INDArray[] arrays;

    /**
     * @param y the ReLU's output
     * @param gy its gradient
     * @param gx the input's gradient, same length
     */
    static ReluKernel create(INDArray y, INDArray gy, INDArray gx, boolean accumulate, int threads) {
        return y.dataType() == DataType.FLOAT ? new F32(y, gy, gx, accumulate, threads)
                : new F64(y, gy, gx, accumulate, threads);
    }

    ReluKernel(INDArray y, INDArray gy, INDArray gx, boolean accumulate, int threads) {
        for (INDArray a : new INDArray[] {y, gy, gx}) {
            if (a.length() != y.length() || a.elementWiseStride() != 1 || a.ordering() != 'c') {
                throw new IllegalArgumentException("ReLU: contiguous arrays of " + y.length() + " values, was "
                        + a.shapeInfoToString());
            }
        }
        this.length = Math.toIntExact(y.length());
        this.accumulate = accumulate;
        int blocks = (length + BLOCK - 1) / BLOCK;
        this.threads = Math.max(1, Math.min(threads, blocks));
        this.arrays = new INDArray[] {y, gy, gx};
    }

    final int slots() {
        return threads;
    }

    /** dx (+)= dy·[y > 0]. */
    final void backward() {
        if (threads == 1) {
            range(0, length, 0);
            return;
        }
        RecursiveAction[] parts = new RecursiveAction[threads];
        int blocks = (length + BLOCK - 1) / BLOCK;
        for (int t = 0; t < threads; t++) {
            int from = Math.min(length, blocks * t / threads * BLOCK);
            int to = Math.min(length, blocks * (t + 1) / threads * BLOCK);
            int slot = t;
            parts[t] = new RecursiveAction() {
                @Override
                protected void compute() {
                    range(from, to, slot);
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

    private void range(int from, int to, int slot) {
        for (int at = from; at < to; at += BLOCK) {
            block(at, Math.min(BLOCK, to - at), slot);
        }
    }

    abstract void block(int at, int n, int slot);

    private static final class F32 extends ReluKernel {
        private final FloatBuffer y;
        private final FloatBuffer gy;
        private final FloatBuffer gx;
        private final float[][] ys;
        private final float[][] gs;

        F32(INDArray y, INDArray gy, INDArray gx, boolean accumulate, int threads) {
            super(y, gy, gx, accumulate, threads);
            this.y = KernelThreads.floats(y);
            this.gy = KernelThreads.floats(gy);
            this.gx = KernelThreads.floats(gx);
            ys = new float[slots()][BLOCK];
            gs = new float[slots()][BLOCK];
        }

        @Override
        void block(int at, int n, int slot) {
            float[] v = ys[slot];
            float[] g = gs[slot];
            y.get(at, v, 0, n);
            gy.get(at, g, 0, n);
            for (int i = 0; i < n; i++) {
                // the output is 0 or positive: its sign is the mask, without a branch per value
                g[i] *= Math.signum(v[i]);
            }
            if (accumulate) {
                gx.get(at, v, 0, n);
                for (int i = 0; i < n; i++) {
                    g[i] += v[i];
                }
            }
            gx.put(at, g, 0, n);
        }
    }

    private static final class F64 extends ReluKernel {
        private final DoubleBuffer y;
        private final DoubleBuffer gy;
        private final DoubleBuffer gx;
        private final double[][] ys;
        private final double[][] gs;

        F64(INDArray y, INDArray gy, INDArray gx, boolean accumulate, int threads) {
            super(y, gy, gx, accumulate, threads);
            this.y = KernelThreads.doubles(y);
            this.gy = KernelThreads.doubles(gy);
            this.gx = KernelThreads.doubles(gx);
            ys = new double[slots()][BLOCK];
            gs = new double[slots()][BLOCK];
        }

        @Override
        void block(int at, int n, int slot) {
            double[] v = ys[slot];
            double[] g = gs[slot];
            y.get(at, v, 0, n);
            gy.get(at, g, 0, n);
            for (int i = 0; i < n; i++) {
                // the output is 0 or positive: its sign is the mask, without a branch per value
                g[i] *= Math.signum(v[i]);
            }
            if (accumulate) {
                gx.get(at, v, 0, n);
                for (int i = 0; i < n; i++) {
                    g[i] += v[i];
                }
            }
            gx.put(at, g, 0, n);
        }
    }
}
