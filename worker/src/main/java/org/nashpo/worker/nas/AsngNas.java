package org.nashpo.worker.nas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.nashpo.core.asng.Asng;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.worker.data.ImageSet;
import org.nashpo.worker.data.Orders;
import org.nashpo.worker.train.CosineSchedule;

/**
 * One-shot ASNG-NAS over a cell space (PROTOCOL.md §6), as the original search loop runs it: each
 * step draws λ = 2 cellcodes from θ and takes one weight step on the mean of their losses on a train
 * batch, then draws 2 fresh cellcodes, measures them on a valid batch and updates θ with ASNG
 * (α = 1.5, δ_init = 1). An epoch pairs the i-th train batch with the i-th valid batch of their
 * shuffled orders, as many steps as the smaller set has batches (the last one partial). The learning
 * rate follows the protocol's per-epoch cosine schedule. The answer is θ's most likely cellcode.
 *
 * <p>θ has one categorical variable per edge in cellcode order, one category per operation of the
 * model's space in digit order (NAS-HPO-Bench-II's: conv3x3, avgpool3x3, skip, zero). Every random stream
 * derives from the seed: per epoch the train shuffle, the valid shuffle, train augmentation, valid
 * augmentation and the sampling of cellcodes.
 */
public final class AsngNas {

    public static final int LAMBDA = 2;
    public static final double ALPHA = Asng.DEFAULT_ALPHA;
    public static final double DELTA_INIT = Asng.DEFAULT_DELTA_INIT;

    /**
     * @param epochs schedule length
     * @param batchSize images per train and per valid batch
     * @param learningRate initial learning rate of the cosine schedule
     * @param seed the seed every random stream derives from
     */
    public record Settings(int epochs, int batchSize, double learningRate, long seed) {

        public Settings {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs: must be ≥ 1, was " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size: must be ≥ 1, was " + batchSize);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate: must be a finite number > 0, was " + learningRate);
            }
        }
    }

    /**
     * What one epoch ended with.
     *
     * @param theta θ after the epoch, flattened edge by edge (K probabilities per edge, the space's operations
     *     in digit order)
     * @param bigDelta ASNG's Δ
     * @param delta ASNG's step size δ = δ_init/Δ
     * @param trainLoss mean over the epoch's steps of the mean train-batch loss of the sampled cellcodes
     * @param validLoss the same on the valid batches (batch statistics, before each θ update)
     * @param thetaUpdates steps whose θ update happened (ties skip it)
     */
    public record EpochLog(int epoch, double learningRate, List<Double> theta, double bigDelta, double delta,
            CellCode mostLikely, double trainLoss, double validLoss, int steps, int thetaUpdates, double seconds) {

        public EpochLog {
            theta = List.copyOf(theta);
            Objects.requireNonNull(mostLikely, "mostLikely");
        }
    }

    /**
     * The search's answer.
     *
     * @param cell θ's most likely cellcode at the end
     * @param stopReason null when every epoch ran; otherwise why the search stopped early (a non-finite loss)
     */
    public record Result(CellCode cell, List<EpochLog> epochs, String stopReason, double seconds) {

        public Result {
            Objects.requireNonNull(cell, "cell");
            epochs = List.copyOf(epochs);
        }

        public boolean completed() {
            return stopReason == null;
        }
    }

    private AsngNas() {
    }

    /** Runs the search; {@code onEpoch} sees each finished epoch (for progress). */
    public static Result search(OneShotModel model, ImageSet train, ImageSet valid, Settings settings,
            Consumer<EpochLog> onEpoch) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(settings, "settings");
        long start = System.nanoTime();
        SearchSpace space = model.space();
        int[] categories = new int[CellCode.EDGES];
        Arrays.fill(categories, space.operationCount());
        Asng asng = new Asng(categories, ALPHA, DELTA_INIT);
        SplittableRandom root = new SplittableRandom(settings.seed());
        int b = settings.batchSize();
        int steps = Math.min(batches(train.size(), b), batches(valid.size(), b));
        int[] trainOrder = Orders.identity(train.size());
        int[] validOrder = Orders.identity(valid.size());
        Batch trainBatch = new Batch(Math.min(b, train.size()));
        Batch validBatch = new Batch(Math.min(b, valid.size()));
        List<EpochLog> epochs = new ArrayList<>();
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            SplittableRandom epochRandom = root.split();
            Orders.shuffle(trainOrder, epochRandom.split());
            Orders.shuffle(validOrder, epochRandom.split());
            SplittableRandom trainAugment = epochRandom.split();
            SplittableRandom validAugment = epochRandom.split();
            SplittableRandom sampling = epochRandom.split();
            double lr = CosineSchedule.at(settings.learningRate(), epoch, settings.epochs());
            double trainSum = 0;
            double validSum = 0;
            int updates = 0;
            for (int step = 0; step < steps; step++) {
                fill(train, trainOrder, step, trainBatch, trainAugment);
                List<CellCode> cells = new ArrayList<>(LAMBDA);
                for (int j = 0; j < LAMBDA; j++) {
                    cells.add(cell(space, asng.sample(sampling)));
                }
                double trainLoss = model.trainStep(cells, trainBatch, lr);
                if (!Double.isFinite(trainLoss)) {
                    return stopped(space, asng, epochs, "train loss became " + trainLoss + " at epoch " + epoch + ", step "
                            + step + " (cells " + cells + ")", start);
                }
                trainSum += trainLoss;

                fill(valid, validOrder, step, validBatch, validAugment);
                int[][] samples = new int[LAMBDA][];
                double[] losses = new double[LAMBDA];
                for (int j = 0; j < LAMBDA; j++) {
                    samples[j] = asng.sample(sampling);
                    losses[j] = model.loss(cell(space, samples[j]), validBatch);
                    if (!Double.isFinite(losses[j])) {
                        return stopped(space, asng, epochs, "valid loss of " + cell(space, samples[j]) + " became "
                                + losses[j]
                                + " at epoch " + epoch + ", step " + step, start);
                    }
                    validSum += losses[j] / LAMBDA;
                }
                if (asng.update(samples, losses)) {
                    updates++;
                }
            }
            EpochLog log = new EpochLog(epoch, lr, flatten(asng.theta()), asng.bigDelta(), asng.delta(),
                    cell(space, asng.mostLikely()), trainSum / steps, validSum / steps, steps, updates,
                    seconds(epochStart));
            epochs.add(log);
            onEpoch.accept(log);
        }
        return new Result(cell(space, asng.mostLikely()), epochs, null, seconds(start));
    }

    /** The cellcode of one ASNG sample: category k on edge e is the space's operation of digit k. */
    public static CellCode cell(SearchSpace space, int[] sample) {
        if (sample.length != CellCode.EDGES) {
            throw new IllegalArgumentException("sample: expected " + CellCode.EDGES + " edges, got " + sample.length);
        }
        int index = 0;
        for (int k : sample) {
            index = index * space.operationCount() + Objects.checkIndex(k, space.operationCount());
        }
        return space.cell(index);
    }

    private static Result stopped(SearchSpace space, Asng asng, List<EpochLog> epochs, String reason, long start) {
        return new Result(cell(space, asng.mostLikely()), epochs, reason, seconds(start));
    }

    private static void fill(ImageSet images, int[] order, int step, Batch batch, SplittableRandom augment) {
        int from = step * batch.capacity();
        int n = Math.min(batch.capacity(), order.length - from);
        images.fill(order, from, n, batch.featureBuffer(), batch.labelBuffer(), augment);
        batch.setSize(n);
    }

    private static List<Double> flatten(double[][] theta) {
        List<Double> flat = new ArrayList<>();
        for (double[] row : theta) {
            for (double p : row) {
                flat.add(p);
            }
        }
        return flat;
    }

    private static int batches(int size, int batchSize) {
        if (size < 1) {
            throw new IllegalArgumentException("image set: must hold at least one image, holds " + size);
        }
        return (size + batchSize - 1) / batchSize;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
