package org.nashpo.worker.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.NetworkShape;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.RunStatus;
import org.nashpo.worker.data.Orders;
import org.nashpo.worker.nn.CellNetwork;
import org.nashpo.worker.nn.CosineSchedule;
import org.nashpo.worker.nn.TorchInit;
import org.nashpo.worker.nn.TorchSgd;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains one run exactly as PROTOCOL.md §3 says and reports each epoch.
 *
 * <p>Every random stream derives from the run's seed in a fixed order (init, then per epoch:
 * shuffle, train augmentation, train-eval augmentation, valid-eval augmentation), so a seed
 * reproduces a run. Times mean what the original's mean: train time is the epoch's training loop
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

    private static final int PIXELS = NetworkShape.IMAGE_CHANNELS * NetworkShape.IMAGE_SIZE * NetworkShape.IMAGE_SIZE;

    /** How a run ended, with the epochs it finished. */
    public record Outcome(RunStatus status, String reason, List<EpochMetrics> epochs, long parameters) {
        public Outcome {
            Objects.requireNonNull(status, "status");
            epochs = List.copyOf(epochs);
        }
    }

    private final NetworkShape shape;
    private final Images train;
    private final Images valid;
    private final Images test;

    public Trainer(NetworkShape shape, Images train, Images valid, Images test) {
        this.shape = Objects.requireNonNull(shape, "shape");
        this.train = Objects.requireNonNull(train, "train");
        this.valid = Objects.requireNonNull(valid, "valid");
        this.test = Objects.requireNonNull(test, "test");
    }

    /** Trains the run of {@code key}; {@code onEpoch} sees each finished epoch (for progress). */
    public Outcome train(RunKey key, Consumer<EpochMetrics> onEpoch) {
        SplittableRandom root = new SplittableRandom(key.seed());
        long initSeed = root.nextLong();
        ComputationGraph net = new ComputationGraph(CellNetwork.configuration(key.cellcode(), shape,
                new TorchSgd(new CosineSchedule(key.learningRate(), key.epochs()), TrainingProtocol.MOMENTUM),
                TrainingProtocol.WEIGHT_DECAY, initSeed));
        net.init();
        TorchInit.apply(net, initSeed);
        long parameters = trainableParameters(net);

        List<EpochMetrics> epochs = new ArrayList<>();
        int[] order = Orders.identity(train.size());
        for (int epoch = 0; epoch < key.epochs(); epoch++) {
            SplittableRandom epochRandom = root.split();
            net.getConfiguration().setEpochCount(epoch);

            long start = System.nanoTime();
            Orders.shuffle(order, epochRandom.split());
            Pass fit = fit(net, order, key.batchSize(), epochRandom.split());
            double trainSeconds = seconds(start);
            if (fit.diverged()) {
                return new Outcome(RunStatus.DIVERGED, "training loss became " + fit.loss() + " at epoch " + epoch
                        + ", batch " + fit.batches(), epochs, parameters);
            }

            SplittableRandom trainEval = epochRandom.split();
            SplittableRandom validEval = epochRandom.split();
            start = System.nanoTime();
            Pass trainPass = evaluate(net, train, key.batchSize(), trainEval);
            double trainEvalSeconds = seconds(start);
            start = System.nanoTime();
            Pass validPass = evaluate(net, valid, key.batchSize(), validEval);
            double validSeconds = seconds(start);
            start = System.nanoTime();
            Pass testPass = evaluate(net, test, key.batchSize(), null);
            double testSeconds = seconds(start);

            EpochMetrics m = EpochMetrics.newBuilder()
                    .setEpoch(epoch)
                    .setLearningRate(CosineSchedule.at(key.learningRate(), epoch, key.epochs()))
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
    private Pass fit(ComputationGraph net, int[] order, int batchSize, SplittableRandom augment) {
        float[] x = new float[batchSize * PIXELS];
        int[] y = new int[batchSize];
        double lossSum = 0;
        int batches = 0;
        for (int from = 0; from < order.length; from += batchSize) {
            int n = Math.min(batchSize, order.length - from);
            train.fill(order, from, n, x, y, augment);
            net.fit(new DataSet(features(x, n), oneHot(y, n)));
            // the cross-entropy alone: TorchWeightDecay adds nothing to DL4J's score, as in PyTorch
            double loss = net.score();
            batches++;
            if (!Double.isFinite(loss)) {
                return new Pass(loss, Double.NaN, batches);
            }
            lossSum += loss;
        }
        return new Pass(lossSum / batches, Double.NaN, batches);
    }

    /**
     * Inference-mode pass over a whole set in batches of {@code batchSize}: the mean of the per-batch
     * mean cross-entropies, and accuracy over all images.
     */
    static Pass evaluate(ComputationGraph net, Images images, int batchSize, SplittableRandom augment) {
        int batch = Math.min(batchSize, images.size());
        float[] x = new float[batch * PIXELS];
        int[] y = new int[batch];
        int[] order = Orders.identity(images.size());
        double batchLossSum = 0;
        long correct = 0;
        int batches = 0;
        for (int from = 0; from < order.length; from += batch) {
            int n = Math.min(batch, order.length - from);
            images.fill(order, from, n, x, y, augment);
            float[] p = net.outputSingle(false, features(x, n)).reshape(n * NetworkShape.CLASSES).toFloatVector();
            double lossSum = 0;
            for (int i = 0; i < n; i++) {
                int offset = i * NetworkShape.CLASSES;
                int best = 0;
                for (int c = 1; c < NetworkShape.CLASSES; c++) {
                    if (p[offset + c] > p[offset + best]) {
                        best = c;
                    }
                }
                if (best == y[i]) {
                    correct++;
                }
                lossSum += crossEntropy(p[offset + y[i]]);
            }
            batchLossSum += lossSum / n;
            batches++;
        }
        return new Pass(batchLossSum / batches, 100.0 * correct / images.size(), batches);
    }

    /**
     * −log p of the true class. A confident mistake can round p to 0 in float32; PyTorch, working
     * from logits, reports a large finite loss there, not a divergence, so p is floored at the
     * smallest float (loss ≤ 103.3). Only NaN — a broken network — stays non-finite.
     */
    static double crossEntropy(float p) {
        return -Math.log(Math.max(p, Float.MIN_VALUE));
    }

    private static INDArray features(float[] x, int n) {
        float[] batch = n * PIXELS == x.length ? x : Arrays.copyOf(x, n * PIXELS);
        return Nd4j.create(batch, new long[] {n, NetworkShape.IMAGE_CHANNELS, NetworkShape.IMAGE_SIZE,
                NetworkShape.IMAGE_SIZE}, 'c');
    }

    private static INDArray oneHot(int[] y, int n) {
        float[] hot = new float[n * NetworkShape.CLASSES];
        for (int i = 0; i < n; i++) {
            hot[i * NetworkShape.CLASSES + y[i]] = 1;
        }
        return Nd4j.create(hot, new long[] {n, NetworkShape.CLASSES}, 'c');
    }

    /**
     * Trainable parameters as PyTorch counts them: DL4J also stores each BatchNorm's running mean
     * and variance as parameters, which are statistics, not trained.
     */
    public static long trainableParameters(ComputationGraph net) {
        long runningStatistics = 0;
        for (Layer layer : net.getLayers()) {
            if (layer instanceof BatchNormalization) {
                runningStatistics += layer.numParams()
                        - layer.getParam(BatchNormalizationParamInitializer.GAMMA).length()
                        - layer.getParam(BatchNormalizationParamInitializer.BETA).length();
            }
        }
        return net.numParams() - runningStatistics;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
