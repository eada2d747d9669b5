package org.nashpo.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkGraph;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.SearchSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The engine's BatchNorm kernel against PyTorch's definition computed here in double the plain way, on
 * arrays that are views into a larger buffer as the engine's are, single- and multi-threaded, with its
 * input gradient assigned and added; and a whole step on the kernel against the same step on ND4J's
 * {@code batchnorm}/{@code batchnorm_bp} ops (the path a CUDA backend takes), so neither path can drift.
 */
class BatchNormKernelTest {

    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;

    @Test
    void forwardRunningStatisticsAndBackwardAreBatchNorm2dsInDoubleAndFloat() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tolerance = type == DataType.DOUBLE ? 1e-12 : 2e-5;
            // small: one thread; large: channels split over two threads; a single-image batch
            for (int[] s : new int[][] {{3, 5, 4, 4}, {8, 16, 32, 32}, {1, 3, 2, 3}}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    check(type, s[0], s[1], s[2] * s[3], accumulate, tolerance);
                }
            }
        }
    }

    private static void check(DataType type, int n, int c, int plane, boolean accumulate, double tolerance) {
        long size = (long) n * c * plane;
        Random random = new Random(n * 31L + c);
        // every array a view at an odd offset into one flat buffer, as the engine's arena hands them out
        INDArray flat = Nd4j.create(type, 4 * size + 7);
        INDArray x = view(flat, 3, n, c, plane);
        INDArray y = view(flat, 3 + size, n, c, plane);
        INDArray gy = view(flat, 3 + 2 * size, n, c, plane);
        INDArray gx = view(flat, 3 + 3 * size, n, c, plane);
        double[] xs = fill(x, random, 1.5, 0.7);
        double[] gys = fill(gy, random, 1, 0);
        double[] gx0 = accumulate ? fill(gx, random, 1, 0) : new double[(int) size];
        INDArray gamma = Nd4j.create(type, c);
        INDArray beta = Nd4j.create(type, c);
        double[] g = fill(gamma, random, 0.5, 1);
        double[] b = fill(beta, random, 0.5, 0);
        INDArray rm = Nd4j.zeros(type, c);
        INDArray rv = Nd4j.ones(type, c);
        INDArray dGamma = Nd4j.create(type, c);
        INDArray dBeta = Nd4j.create(type, c);
        BatchNormKernel kernel = BatchNormKernel.create(x, y, gamma, beta, rm, rv, gy, gx, dGamma, dBeta, accumulate,
                EPS, MOMENTUM, 2);
        kernel.forwardTraining();
        kernel.backward();

        int m = n * plane;
        String at = type + " " + n + "×" + c + "×" + plane + (accumulate ? " added" : " assigned");
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    mean += xs[(i * c + ch) * plane + p];
                }
            }
            mean /= m;
            double var = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    double d = xs[(i * c + ch) * plane + p] - mean;
                    var += d * d;
                }
            }
            var /= m;
            double inv = 1 / Math.sqrt(var + EPS);
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    int k = (i * c + ch) * plane + p;
                    double xhat = (xs[k] - mean) * inv;
                    assertThat(linear(y).getDouble(k)).as("y %s", at)
                            .isCloseTo(g[ch] * xhat + b[ch], within(tolerance * 10));
                    sumDy += gys[k];
                    sumDyXhat += gys[k] * xhat;
                }
            }
            // dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)), PyTorch's backward
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    int k = (i * c + ch) * plane + p;
                    double xhat = (xs[k] - mean) * inv;
                    double dx = g[ch] * inv * (gys[k] - sumDy / m - xhat * sumDyXhat / m) + gx0[k];
                    assertThat(linear(gx).getDouble(k)).as("dx %s", at)
                            .isCloseTo(dx, within(tolerance * 10));
                }
            }
            double unbiased = m > 1 ? var * m / (m - 1) : var;
            assertThat(rm.getDouble(ch)).as("running mean %s", at)
                    .isCloseTo(MOMENTUM * mean, within(tolerance));
            assertThat(rv.getDouble(ch)).as("running variance (unbiased) %s", at)
                    .isCloseTo((1 - MOMENTUM) + MOMENTUM * unbiased, within(tolerance));
            assertThat(dGamma.getDouble(ch)).as("dγ %s", at)
                    .isCloseTo(sumDyXhat, within(tolerance * m));
            assertThat(dBeta.getDouble(ch)).as("dβ %s", at)
                    .isCloseTo(sumDy, within(tolerance * m));
        }
        // nothing written outside the views
        assertThat(flat.getDouble(0)).isZero();
        assertThat(flat.getDouble(4 * size + 6)).isZero();

        // inference: the running statistics, not the batch's
        kernel.forwardInference();
        for (int k = 0; k < Math.min(size, 50); k++) {
            int ch = (k / plane) % c;
            double expected = g[ch] * (xs[k] - rm.getDouble(ch)) / Math.sqrt(rv.getDouble(ch) + EPS) + b[ch];
            assertThat(linear(y).getDouble(k)).as("inference y %s", at)
                    .isCloseTo(expected, within(tolerance * 10));
        }
    }

    /**
     * A step of a network on the engine's kernel equals one on ND4J's BatchNorm ops — loss, every gradient,
     * the running statistics and the inference logits — in a NAS-Bench-201 cell with every kind of edge
     * (its 1×1 and 3×3 convolutions, a pooling, a skip added into a convolution's gradient).
     */
    @Test
    void aStepOnTheKernelEqualsAStepOnNd4jsOps() {
        NetworkGraph network = NetworkGraph.of(SearchSpace.NAS_BENCH_201.parse(
                "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"),
                new NetworkShape(4, 1, 3).withFamily(NetworkFamily.NAS_BENCH_201));
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            // ND4J's moments and batchnorm_bp round differently from the kernel's two passes: 3e-9 relative in double
            double tolerance = type == DataType.DOUBLE ? 1e-8 : 2e-3;
            int batch = 6;
            float[] images = new float[batch * 3072];
            Random random = new Random(5);
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) random.nextGaussian();
            }
            int[] labels = {0, 1, 2, 3, 4, 5};
            try (CellEngine own = new CellEngine(network, type, batch, true);
                    CellEngine library = new CellEngine(network, type, batch, false)) {
                own.initialise(3);
                library.initialise(3);
                own.input(batch, images);
                library.input(batch, images);
                double a = own.forwardBackward(batch, labels);
                double b = library.forwardBackward(batch, labels);
                assertThat(a).as("loss %s", type).isCloseTo(b, within(tolerance));
                assertClose(own.gradients(), library.gradients(), tolerance, "gradient " + type);
                assertClose(own.statistics(), library.statistics(), tolerance, "running statistic " + type);
                assertThat(own.gradients().keySet()).containsExactlyElementsOf(library.gradients().keySet());
                INDArray ownLogits = own.infer(batch).dup();
                INDArray libraryLogits = library.infer(batch).dup();
                assertThat(ownLogits.sub(libraryLogits).amaxNumber().doubleValue()).as("inference %s", type)
                        .isLessThan(tolerance);
            }
        }
    }

    private static void assertClose(Map<String, INDArray> a, Map<String, INDArray> b, double tolerance, String what) {
        assertThat(a).isNotEmpty();
        a.forEach((name, value) -> {
            INDArray other = b.get(name);
            double scale = Math.max(1, other.amaxNumber().doubleValue());
            assertThat(value.sub(other).amaxNumber().doubleValue() / scale).as("%s %s", what, name)
                    .isLessThan(tolerance);
        });
    }

    private static INDArray view(INDArray flat, long offset, int n, int c, int plane) {
        return flat.get(NDArrayIndex.interval(offset, offset + (long) n * c * plane)).reshape('c', n, c, 1, plane);
    }

    private static double[] fill(INDArray a, Random random, double scale, double shift) {
        double[] v = new double[(int) a.length()];
        INDArray flat = linear(a);
        for (int i = 0; i < v.length; i++) {
            flat.putScalar(i, shift + scale * random.nextGaussian());
            v[i] = flat.getDouble(i); // as stored (float rounds)
        }
        return v;
    }

    private static INDArray linear(INDArray a) {
        return a.reshape('c', new long[] {a.length()});
    }
}
