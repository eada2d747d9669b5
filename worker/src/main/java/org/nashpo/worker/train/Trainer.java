package org.nashpo.worker.train;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.data.ImageSet;
import org.nashpo.worker.data.Orders;
import org.nashpo.worker.data.TrainingData;
import org.nashpo.worker.engine.CellEngine;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Trains one run exactly as PROTOCOL.md §3 (and §8 for another data set or split) says, reports each epoch and
 * returns its record.
 * {@link #run} is the entry point of {@code nashpo train} and of the construct job's tasks: it
 * checks the data against the protocol, binds the device, trains and collects provenance.
 *
 * <p>Every random stream derives from the run's seed in a fixed order (init, then per epoch:
 * shuffle, train augmentation, train-eval augmentation, valid-eval augmentation, the last drawn also when
 * the split leaves valid batches unaugmented), so a seed reproduces a run. Times mean what the original's mean: train time is the epoch's training loop
 * only, valid and test time their own evaluation pass only, and the train-set evaluation pass,
 * which the original times nowhere, has a field of its own that no query cost includes. Every
 * evaluation runs at the run's own batch size, and its loss is the mean of the per-batch mean
 * losses, as the original's loaders and {@code running_loss / len(loader)} give.
 *
 * <p>A non-finite training loss stops the run as diverged, keeping the epochs finished; a
 * non-finite evaluation loss keeps the epoch it evaluated (its accuracies are measured) and stops
 * the run there, diverged.
 */
public final class Trainer {

    /** How a run ended, with the epochs it finished. */
    public record Outcome(RunStatus status, String reason, List<EpochMetrics> epochs, long parameters) {
        public Outcome {
            Objects.requireNonNull(status, "status");
            epochs = List.copyOf(epochs);
        }
    }

    /**
     * Where a run executes.
     *
     * @param executorId Spark executor id, null outside Spark
     * @param gpuAddress the GPU address Spark assigned to the task, null for none
     * @param threads ND4J threads for this run (≤ 0: one per core)
     * @param specHash hash of the spec that asked for the run, null for none
     */
    public record Placement(String executorId, String gpuAddress, int threads, String specHash) {
        public static final Placement STANDALONE = new Placement(null, null, 0, null);
    }

    /**
     * Trains the run of {@code key} on {@code data}, which must be the subset {@code protocol} names,
     * where {@code placement} says; {@code onEpoch} sees each finished epoch (for progress).
     */
    public static TrainingRun run(RunKey key, TrainingProtocol protocol, TrainingData data, Placement placement,
            Consumer<EpochMetrics> onEpoch) {
        Objects.requireNonNull(key, "key");
        if (!key.protocolId().equals(protocol.id())) {
            throw new IllegalArgumentException("run key protocol " + key.protocolId() + " is not the protocol given ("
                    + protocol.id() + ")");
        }
        if (data.train().size() != protocol.trainSize() || data.valid().size() != protocol.validSize()
                || data.test().size() != protocol.testSize()) {
            throw new IllegalArgumentException("the data loaded (" + data.train().size() + "/" + data.valid().size() + "/"
                    + data.test().size() + " images) is not the protocol's subset (" + protocol.trainSize() + "/"
                    + protocol.validSize() + "/" + protocol.testSize() + ")");
        }
        // the device first: nothing of the run may be allocated before the thread is bound to its GPU
        Backend.configure(placement.threads());
        String device = Backend.bindDevice(placement.gpuAddress());
        Instant started = Instant.now();
        long start = System.nanoTime();
        Outcome outcome = new Trainer(protocol.network(), protocol.split().augmentsValid(), data.train(), data.valid(),
                data.test(), SGD).train(key, onEpoch);
        double seconds = (System.nanoTime() - start) / 1e9;
        var provenance = Provenance.collect(placement.executorId(), placement.gpuAddress(), device,
                protocol.dataChecksums(), key.seed(), placement.specHash(), started, Instant.now());
        return RunRecords.of(key, protocol, data.directory().toString(), outcome, provenance, seconds);
    }

    private final NetworkShape shape;
    private final boolean augmentValid;
    private final ImageSet train;
    private final ImageSet valid;
    private final ImageSet test;
    private final Updater updater;

    /** One optimiser step on the network's last gradients. */
    @FunctionalInterface
    interface Updater {
        void step(CellEngine net, double learningRate, double momentum, double weightDecay);
    }

    /** PyTorch's {@code SGD(momentum, nesterov=True, weight_decay)}, as the engine applies it. */
    static final Updater SGD = CellEngine::step;

    /**
     * Trains with {@code updater} (tests wrap {@link #SGD} to see every step's settings), augmenting the valid set's
     * evaluation when the split says so (NAS-HPO-Bench-II's does, NAS-Bench-201's does not).
     */
    Trainer(NetworkShape shape, boolean augmentValid, ImageSet train, ImageSet valid, ImageSet test,
            Updater updater) {
        this.shape = Objects.requireNonNull(shape, "shape");
        this.augmentValid = augmentValid;
        this.train = Objects.requireNonNull(train, "train");
        this.valid = Objects.requireNonNull(valid, "valid");
        this.test = Objects.requireNonNull(test, "test");
        this.updater = Objects.requireNonNull(updater, "updater");
    }

    /** Trains the run of {@code key}; {@code onEpoch} sees each finished epoch (for progress). */
    Outcome train(RunKey key, Consumer<EpochMetrics> onEpoch) {
        SplittableRandom root = new SplittableRandom(key.seed());
        long initSeed = root.nextLong();
        int batchSize = key.batchSize();
        try (CellEngine net = new CellEngine(key.cellcode(), shape, DataType.FLOAT, batchSize);
                BatchPipeline batches = new BatchPipeline(batchSize, shape)) {
            net.initialise(initSeed);
            long parameters = net.parameterCount();
            List<EpochMetrics> epochs = new ArrayList<>();
            int[] order = Orders.identity(train.size());
            for (int epoch = 0; epoch < key.epochs(); epoch++) {
                SplittableRandom epochRandom = root.split();
                double learningRate = CosineSchedule.at(key.learningRate(), epoch, key.epochs());

                long start = System.nanoTime();
                Orders.shuffle(order, epochRandom.split());
                Pass fit = fit(net, batches, order, learningRate, epochRandom.split());
                double trainSeconds = seconds(start);
                if (fit.diverged()) {
                    return new Outcome(RunStatus.DIVERGED, "training loss became " + fit.loss() + " at epoch " + epoch
                            + ", batch " + fit.batches(), epochs, parameters);
                }

                SplittableRandom trainEval = epochRandom.split();
                // drawn whether it is used or not, so that every stream after it stays where it was
                SplittableRandom validStream = epochRandom.split();
                SplittableRandom validEval = augmentValid ? validStream : null;
                start = System.nanoTime();
                Pass trainPass = evaluate(net, batches, train, trainEval, shape.classes());
                double trainEvalSeconds = seconds(start);
                start = System.nanoTime();
                Pass validPass = evaluate(net, batches, valid, validEval, shape.classes());
                double validSeconds = seconds(start);
                start = System.nanoTime();
                Pass testPass = evaluate(net, batches, test, null, shape.classes());
                double testSeconds = seconds(start);

                EpochMetrics m = EpochMetrics.newBuilder()
                        .setEpoch(epoch)
                        .setLearningRate(learningRate)
                        .setTrainLoss(fit.loss())
                        .setTrainAccuracy(trainPass.accuracy())
                        .setValidLoss(validPass.loss())
                        .setValidAccuracy(validPass.accuracy())
                        .setTestLoss(testPass.loss())
                        .setTestAccuracy(testPass.accuracy())
                        .setTrainTimeSeconds(trainSeconds)
                        .setValidTimeSeconds(validSeconds)
                        .setTestTimeSeconds(testSeconds)
                        .setTrainEvalTimeSeconds(trainEvalSeconds)
                        .build();
                epochs.add(m);
                onEpoch.accept(m);
                String diverged = diverged(List.of("train", "valid", "test"), List.of(trainPass, validPass, testPass));
                if (diverged != null) {
                    return new Outcome(RunStatus.DIVERGED, diverged + " at epoch " + epoch, epochs, parameters);
                }
            }
            return new Outcome(RunStatus.COMPLETED, null, epochs, parameters);
        }
    }

    /** The first evaluation pass whose loss is not finite, as "valid loss became NaN", or null. */
    private static String diverged(List<String> names, List<Pass> passes) {
        for (int i = 0; i < passes.size(); i++) {
            if (passes.get(i).diverged()) {
                return names.get(i) + " evaluation loss became " + passes.get(i).loss();
            }
        }
        return null;
    }

    /** Loss (the mean of the per-batch mean losses), accuracy in percent, batches seen; diverged on a non-finite loss. */
    record Pass(double loss, double accuracy, int batches) {
        boolean diverged() {
            return !Double.isFinite(loss);
        }
    }

    /** One epoch of SGD over {@code order}; the loss is the mean of the minibatch losses. */
    private Pass fit(CellEngine net, BatchPipeline batches, int[] order, double learningRate,
            SplittableRandom augment) {
        double[] lossSum = {0};
        double[] lastLoss = {0};
        int seen = batches.run(train, order, augment, (n, x, y) -> {
            net.input(n, x);
            double loss = net.forwardBackward(n, n == y.length ? y : Arrays.copyOf(y, n));
            lastLoss[0] = loss;
            if (!Double.isFinite(loss)) {
                return false;
            }
            updater.step(net, learningRate, TrainingProtocol.MOMENTUM, TrainingProtocol.WEIGHT_DECAY);
            lossSum[0] += loss;
            return true;
        });
        return Double.isFinite(lastLoss[0]) ? new Pass(lossSum[0] / seen, Double.NaN, seen)
                : new Pass(lastLoss[0], Double.NaN, seen);
    }

    /**
     * Inference-mode pass over a whole set in batches of the pipeline's size: the mean of the
     * per-batch mean cross-entropies, and accuracy over all images.
     */
    static Pass evaluate(CellEngine net, BatchPipeline batches, ImageSet images, SplittableRandom augment,
            int classes) {
        double[] batchLossSum = {0};
        long[] correct = {0};
        int seen = batches.run(images, Orders.identity(images.size()), augment, (n, x, y) -> {
            net.input(n, x);
            double[] z = net.infer(n).data().asDouble();
            double lossSum = 0;
            for (int i = 0; i < n; i++) {
                int offset = i * classes;
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (z[offset + c] > z[offset + best]) {
                        best = c;
                    }
                }
                if (best == y[i]) {
                    correct[0]++;
                }
                lossSum += CellEngine.crossEntropy(z, offset, classes, y[i]);
            }
            batchLossSum[0] += lossSum / n;
            return true;
        });
        return new Pass(batchLossSum[0] / seen, 100.0 * correct[0] / images.size(), seen);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
