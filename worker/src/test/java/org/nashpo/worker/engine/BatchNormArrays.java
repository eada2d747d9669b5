package org.nashpo.worker.engine;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The arrays one training-mode BatchNorm reads and writes, laid out as the engine lays out its own: c-order
 * views into one flat arena, none starting at the arena's first element (so a design that binds native
 * memory must honour each view's offset, as it would in {@link Plan}).
 *
 * <p>Forward reads {@code x, gamma, beta} and the running statistics, writes {@code y}, the batch
 * {@code mean} and biased {@code variance}, and updates the running statistics (PyTorch: momentum 0.1,
 * the unbiased batch variance). Backward reads {@code x, dy, gamma} and the forward's {@code mean,
 * variance}, and writes (not adds) {@code dx, dGamma, dBeta}.
 */
public final class BatchNormArrays implements AutoCloseable {

    /**
     * Elements left unused before each view, so that no view starts where the arena does; 16 keeps float
     * views 64-byte aligned (as the engine's arena keeps them), so that no design is timed on misaligned data.
     */
    private static final long GAP = 16;

    public final DataType type;
    public final long[] shape;
    public final INDArray arena;
    public final INDArray x;
    public final INDArray y;
    public final INDArray dy;
    public final INDArray dx;
    public final INDArray gamma;
    public final INDArray beta;
    public final INDArray mean;
    public final INDArray variance;
    public final INDArray runningMean;
    public final INDArray runningVar;
    public final INDArray dGamma;
    public final INDArray dBeta;

    private long next = GAP;

    /**
     * Arrays of {@code shape} [N, C, H, W] holding a seeded random batch: per channel a mean in [-1, 1] and a
     * spread in [0.5, 2] (a convolution's output is not centred), gamma near 1, beta near 0, running
     * statistics away from their initial values, and a standard normal {@code dy}.
     */
    public BatchNormArrays(DataType type, long[] shape, long seed) {
        if (shape.length != 4) {
            throw new IllegalArgumentException("shape: expected [N, C, H, W], was " + java.util.Arrays.toString(shape));
        }
        this.type = type;
        this.shape = shape.clone();
        long c = shape[1];
        long n = shape[0] * c * shape[2] * shape[3];
        arena = Nd4j.zeros(type, 4 * n + 8 * c + 12 * GAP);
        x = take(shape);
        y = take(shape);
        dy = take(shape);
        dx = take(shape);
        long[] channels = {c};
        gamma = take(channels);
        beta = take(channels);
        mean = take(channels);
        variance = take(channels);
        runningMean = take(channels);
        runningVar = take(channels);
        dGamma = take(channels);
        dBeta = take(channels);
        fill(seed);
    }

    private INDArray take(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        INDArray v = arena.get(NDArrayIndex.interval(next, next + n)).reshape('c', shape);
        next += n + GAP;
        return v;
    }

    private void fill(long seed) {
        Random r = new Random(seed);
        int c = (int) shape[1];
        long plane = shape[2] * shape[3];
        double[] centre = new double[c];
        double[] spread = new double[c];
        for (int k = 0; k < c; k++) {
            centre[k] = 2 * r.nextDouble() - 1;
            spread[k] = 0.5 + 1.5 * r.nextDouble();
            gamma.putScalar(k, 1 + 0.2 * r.nextGaussian());
            beta.putScalar(k, 0.2 * r.nextGaussian());
            runningMean.putScalar(k, 0.1 * r.nextGaussian());
            runningVar.putScalar(k, 1 + 0.5 * r.nextDouble());
        }
        long total = x.length();
        double[] xs = new double[(int) total];
        double[] gs = new double[(int) total];
        for (int i = 0; i < total; i++) {
            int k = (int) (i / plane % c);
            xs[i] = centre[k] + spread[k] * r.nextGaussian();
            gs[i] = r.nextGaussian();
        }
        x.assign(Nd4j.createFromArray(xs).castTo(type).reshape('c', shape));
        dy.assign(Nd4j.createFromArray(gs).castTo(type).reshape('c', shape));
    }

    /** A copy of the running statistics as they are now, to restore between design runs. */
    public double[][] runningStatistics() {
        return new double[][] {runningMean.toDoubleVector(), runningVar.toDoubleVector()};
    }

    public void restoreRunningStatistics(double[][] saved) {
        runningMean.assign(Nd4j.createFromArray(saved[0]).castTo(type));
        runningVar.assign(Nd4j.createFromArray(saved[1]).castTo(type));
    }

    @Override
    public void close() {
        arena.close();
    }
}
