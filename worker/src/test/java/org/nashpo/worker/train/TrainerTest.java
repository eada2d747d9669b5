package org.nashpo.worker.train;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.CellCode;
import org.nashpo.schema.EpochMetrics;
import org.nashpo.schema.RunStatus;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.data.ImageSet;
import org.nashpo.worker.engine.CellEngine;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {

    private static final NetworkShape TINY = new NetworkShape(4, 1, 3);

    @BeforeAll
    static void backend() {
        Backend.configure(2);
    }

    /**
     * Learnable synthetic images: class c has a bright square at a class-specific place, plus
     * noise; augmentation (when asked) flips horizontally with p = 0.5, drawing from the stream.
     */
    static ImageSet synthetic(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] images = new float[n][3 * 32 * 32];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int p = 0; p < images[i].length; p++) {
                images[i][p] = (float) r.nextGaussian() * 0.5f;
            }
            int row = (labels[i] / 5) * 16;
            int col = (labels[i] % 5) * 6;
            for (int c = 0; c < 3; c++) {
                for (int y = row; y < row + 8; y++) {
                    for (int x = col; x < col + 6; x++) {
                        images[i][c * 1024 + y * 32 + x] += 2f;
                    }
                }
            }
        }
        return new ImageSet() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public void fill(int[] indices, int from, int count, float[] features, int[] out, SplittableRandom augment) {
                for (int k = 0; k < count; k++) {
                    int i = indices[from + k];
                    boolean flip = augment != null && augment.nextBoolean();
                    for (int c = 0; c < 3; c++) {
                        for (int y = 0; y < 32; y++) {
                            for (int x = 0; x < 32; x++) {
                                features[k * 3072 + c * 1024 + y * 32 + x] =
                                        images[i][c * 1024 + y * 32 + (flip ? 31 - x : x)];
                            }
                        }
                    }
                    out[k] = labels[i];
                }
            }
        };
    }

    private static RunKey key(String cell, double lr, int batch, int seed, int epochs) {
        TrainingProtocol protocol = new TrainingProtocol(TINY, 64, 32, 32, Map.of("synthetic", "0"));
        return RunKey.of(protocol, new Configuration(SearchSpace.NAS_HPO_BENCH_2.parse(cell), lr, batch), seed, epochs);
    }

    /** 0.2·(1 + cos(π·e/5))/2 for e = 0…4: cos(π/5) = (1 + √5)/4, cos(2π/5) = (√5 − 1)/4. */
    private static final double[] COSINE_0_2_OVER_5 = {0.2, 0.1 * (1 + (1 + Math.sqrt(5)) / 4),
        0.1 * (1 + (Math.sqrt(5) - 1) / 4), 0.1 * (1 - (Math.sqrt(5) - 1) / 4), 0.1 * (1 - (1 + Math.sqrt(5)) / 4)};

    private static Trainer trainer() {
        return new Trainer(TINY, true, synthetic(64, 1), synthetic(32, 2), synthetic(32, 3), Trainer.SGD);
    }

    @Test
    void aShortRunLearnsAndReportsEveryEpoch() {
        List<EpochMetrics> seen = new ArrayList<>();
        List<double[]> steps = new ArrayList<>();
        Trainer trainer = new Trainer(TINY, true, synthetic(64, 1), synthetic(32, 2), synthetic(32, 3),
                (net, lr, momentum, weightDecay) -> {
                    steps.add(new double[] {lr, momentum, weightDecay});
                    Trainer.SGD.step(net, lr, momentum, weightDecay);
                });
        long start = System.nanoTime();
        Trainer.Outcome outcome = trainer.train(key("0|10|210", 0.2, 8, 222, 5), seen::add);
        double wall = (System.nanoTime() - start) / 1e9;
        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(outcome.reason()).isNull();
        assertThat(outcome.epochs()).hasSize(5).isEqualTo(seen);
        for (int e = 0; e < 5; e++) {
            EpochMetrics m = outcome.epochs().get(e);
            assertThat(m.getEpoch()).isEqualTo(e);
            // PROTOCOL.md §3: lr·(1 + cos(π·e/T))/2, here for lr 0.2 and T 5, worked out by hand
            assertThat(m.getLearningRate()).isCloseTo(COSINE_0_2_OVER_5[e], within(1e-12));
            assertThat(m.getTrainLoss()).isPositive().isFinite();
            assertThat(m.getTestAccuracy()).isBetween(0.0, 100.0);
        }
        // the timers are seconds of spans inside the call: each positive, together no more than the call's wall time
        // (a timer in other units, or one counting twice, breaks the sum)
        double timed = 0;
        for (EpochMetrics m : outcome.epochs()) {
            for (double t : new double[] {m.getTrainTimeSeconds(), m.getTrainEvalTimeSeconds(), m.getValidTimeSeconds(),
                    m.getTestTimeSeconds()}) {
                assertThat(t).isPositive();
                timed += t;
            }
        }
        assertThat(timed).isLessThanOrEqualTo(wall);
        // what the updater was given: 64 images in batches of 8 are 8 steps an epoch, each at its epoch's rate,
        // with Nesterov momentum 0.9 and weight decay 5e-4
        assertThat(steps).hasSize(5 * 8);
        for (int i = 0; i < steps.size(); i++) {
            assertThat(steps.get(i)[0]).as("learning rate of step %d", i).isCloseTo(COSINE_0_2_OVER_5[i / 8], within(1e-12));
            assertThat(steps.get(i)[1]).as("momentum of step %d", i).isEqualTo(0.9);
            assertThat(steps.get(i)[2]).as("weight decay of step %d", i).isEqualTo(5e-4);
        }
        assertThat(outcome.epochs().get(4).getTrainLoss()).isLessThan(outcome.epochs().get(0).getTrainLoss());
        // twice chance on 64 synthetic images after 5 epochs of batch 8
        assertThat(outcome.epochs().get(4).getTrainAccuracy()).isGreaterThan(20.0);
    }

    @Test
    void theSameSeedGivesIdenticalMetricsAndAnotherSeedDoesNot() {
        Trainer.Outcome a = trainer().train(key("0|10|210", 0.05, 16, 555, 2), m -> { });
        Trainer.Outcome b = trainer().train(key("0|10|210", 0.05, 16, 555, 2), m -> { });
        Trainer.Outcome c = trainer().train(key("0|10|210", 0.05, 16, 888, 2), m -> { });
        for (int e = 0; e < 2; e++) {
            EpochMetrics x = a.epochs().get(e);
            EpochMetrics y = b.epochs().get(e);
            assertThat(y.getTrainLoss()).isEqualTo(x.getTrainLoss());
            assertThat(y.getValidLoss()).isEqualTo(x.getValidLoss());
            assertThat(y.getTestLoss()).isEqualTo(x.getTestLoss());
            assertThat(y.getTrainAccuracy()).isEqualTo(x.getTrainAccuracy());
        }
        assertThat(c.epochs().get(1).getTrainLoss()).isNotEqualTo(a.epochs().get(1).getTrainLoss());
    }

    /**
     * A run whose learning rate turns huge (× 10⁹) in its third epoch diverges in that epoch's training and
     * keeps the two epochs it finished before, as they were reported.
     */
    @Test
    void aHugeLearningRateDivergesAndKeepsTheEpochsDone() {
        int stepsPerEpoch = 64 / 16;
        int[] steps = {0};
        Trainer trainer = new Trainer(TINY, true, synthetic(64, 1), synthetic(32, 2), synthetic(32, 3),
                (net, lr, momentum, weightDecay) -> Trainer.SGD.step(net,
                        steps[0]++ < 2 * stepsPerEpoch ? lr : lr * 1e9, momentum, weightDecay));
        List<EpochMetrics> seen = new ArrayList<>();
        Trainer.Outcome outcome = trainer.train(key("0|00|000", 0.05, 16, 222, 4), seen::add);
        assertThat(outcome.status()).isEqualTo(RunStatus.DIVERGED);
        assertThat(outcome.reason()).startsWith("training loss became").contains("at epoch 2, batch");
        assertThat(outcome.epochs()).hasSize(2).isEqualTo(seen);
        assertThat(outcome.epochs()).allSatisfy(m -> {
            assertThat(m.getTrainLoss()).isFinite();
            assertThat(m.getValidAccuracy()).isBetween(0.0, 100.0);
        });
        assertThat(outcome.epochs()).extracting(EpochMetrics::getEpoch).containsExactly(0, 1);
    }

    @Test
    void aConfidentMistakeIsALargeLossNotADivergence() {
        double[] confidentlyWrong = {0, 200, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(CellEngine.crossEntropy(confidentlyWrong, 0, 10, 0)).isCloseTo(200, within(1e-9));
        assertThat(CellEngine.crossEntropy(confidentlyWrong, 0, 10, 1)).isZero();
        double[] even = new double[20];
        assertThat(CellEngine.crossEntropy(even, 10, 10, 3)).isCloseTo(Math.log(10), within(1e-12));
        double[] broken = {Double.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(CellEngine.crossEntropy(broken, 0, 10, 1)).isNaN();
        broken[0] = Double.POSITIVE_INFINITY;
        assertThat(CellEngine.crossEntropy(broken, 0, 10, 1)).isNaN();
    }

    /**
     * 0|03|323's conv on edge 0→2 feeds node 2, whose only way on (2→3) is zero: a dead end. No
     * gradient reaches it or its BN, changing its weights changes no output, and a run trains.
     */
    @Test
    void aDeadEndGetsNoGradientAndChangesNoOutput() {
        try (CellEngine net = new CellEngine(SearchSpace.NAS_HPO_BENCH_2.parse("0|03|323"), TINY, DataType.FLOAT, 16)) {
            int[] y = feed(net);
            net.forwardBackward(16, y);
            java.util.Set<String> unreached = new java.util.TreeSet<>(net.parameters().keySet());
            unreached.removeAll(net.gradients().keySet());
            assertThat(unreached).containsExactlyInAnyOrder("s0c0_e02_conv.weight", "s0c0_e02_bn.weight",
                    "s0c0_e02_bn.bias", "s1c0_e02_conv.weight", "s1c0_e02_bn.weight", "s1c0_e02_bn.bias",
                    "s2c0_e02_conv.weight", "s2c0_e02_bn.weight", "s2c0_e02_bn.bias");

            float[] before = net.infer(16).dup().data().asFloat();
            for (String dead : unreached) {
                net.parameters().get(dead).addi(0.5);
            }
            assertThat(net.infer(16).dup().data().asFloat()).containsExactly(before);
            net.parameters().get("s0c0_e01_conv.weight").addi(0.5); // a live conv: the output moves
            assertThat(net.infer(16).dup().data().asFloat()).isNotEqualTo(before);
        }
        assertThat(trainer().train(key("0|03|323", 0.05, 32, 222, 1), m -> { }).status())
                .isEqualTo(RunStatus.COMPLETED);
    }

    /**
     * 3|30|332's cells convolve node 1, which nothing feeds: the conv sees only zeros, so its weights
     * get no gradient, nor does anything before the last cell (no input reaches the output); a run
     * still trains.
     */
    @Test
    void aConvOfZerosGetsNoGradientAndARunStillTrains() {
        try (CellEngine net = new CellEngine(SearchSpace.NAS_HPO_BENCH_2.parse("3|30|332"), TINY, DataType.FLOAT, 16)) {
            int[] y = feed(net);
            net.forwardBackward(16, y);
            assertThat(net.gradients()).doesNotContainKeys("stem_conv.weight", "s0c0_e12_conv.weight",
                    "s1c0_e12_conv.weight");
            INDArray zerosFed = net.gradients().get("s2c0_e12_conv.weight");
            assertThat(zerosFed == null ? 0.0 : zerosFed.norm2Number().doubleValue()).isZero();
            assertThat(net.gradients().get("output.bias").norm2Number().doubleValue()).isGreaterThan(0);
        }
        Trainer.Outcome outcome = trainer().train(key("3|30|332", 0.05, 32, 222, 1), m -> { });
        assertThat(outcome.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(outcome.epochs()).singleElement().satisfies(m -> assertThat(m.getTrainLoss()).isFinite());
    }

    /** Initialises the engine and loads 16 synthetic images; returns their labels. */
    private static int[] feed(CellEngine net) {
        net.initialise(1);
        float[] x = new float[16 * 3 * 32 * 32];
        int[] y = new int[16];
        synthetic(16, 5).fill(java.util.stream.IntStream.range(0, 16).toArray(), 0, 16, x, y, null);
        net.input(16, x);
        return y;
    }

    @Test
    void evaluationRunsAtTheRunsBatchSizeAndAveragesThePerBatchMeanLosses() {
        try (CellEngine net = new CellEngine(SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210"), TINY, DataType.FLOAT, 16);
                BatchPipeline batches = new BatchPipeline(16, TINY)) {
            net.initialise(1);
            ImageSet images = synthetic(33, 4);
            List<Integer> sizes = new ArrayList<>();
            ImageSet recorded = afterFill(images, (count, features) -> sizes.add(count));

            Trainer.Pass pass = Trainer.evaluate(net, batches, recorded, null, 10);

            assertThat(sizes).containsExactly(16, 16, 1);
            // each image's loss on its own (inference mode: independent of its batch)
            double[] loss = new double[33];
            float[] x = new float[3 * 32 * 32];
            int[] y = new int[1];
            for (int i = 0; i < 33; i++) {
                images.fill(new int[] {i}, 0, 1, x, y, null);
                net.input(1, x);
                loss[i] = CellEngine.crossEntropy(net.infer(1).data().asDouble(), 0, 10, y[0]);
            }
            double meanOfBatchMeans = (mean(loss, 0, 16) + mean(loss, 16, 32) + mean(loss, 32, 33)) / 3;
            double perImage = mean(loss, 0, 33);
            assertThat(Math.abs(meanOfBatchMeans - perImage)).as("the two definitions differ on this data")
                    .isGreaterThan(1e-3);
            assertThat(pass.loss()).isCloseTo(meanOfBatchMeans, within(1e-5));
            assertThat(pass.batches()).isEqualTo(3);
        }
    }

    @Test
    void aNonFiniteEvaluationKeepsTheEpochItEvaluatedAndEndsTheRunDiverged() {
        ImageSet test = synthetic(32, 3);
        ImageSet poisoned = afterFill(test, (count, features) -> features[0] = Float.NaN);
        List<EpochMetrics> seen = new ArrayList<>();
        Trainer.Outcome outcome = new Trainer(TINY, true, synthetic(64, 1), synthetic(32, 2), poisoned, Trainer.SGD)
                .train(key("0|10|210", 0.05, 16, 222, 3), seen::add);

        assertThat(outcome.status()).isEqualTo(RunStatus.DIVERGED);
        assertThat(outcome.reason()).isEqualTo("test evaluation loss became NaN at epoch 0");
        assertThat(outcome.epochs()).hasSize(1).isEqualTo(seen);
        EpochMetrics kept = outcome.epochs().get(0);
        assertThat(kept.getTrainLoss()).isFinite();
        assertThat(kept.getValidAccuracy()).isBetween(0.0, 100.0);
        assertThat(kept.getTestLoss()).isNaN();
    }

    /** {@code images}, with {@code hook} seeing each batch it fills: its size and its features. */
    private static ImageSet afterFill(ImageSet images, BiConsumer<Integer, float[]> hook) {
        return new ImageSet() {
            @Override
            public int size() {
                return images.size();
            }

            @Override
            public void fill(int[] indices, int from, int count, float[] features, int[] labels, SplittableRandom augment) {
                images.fill(indices, from, count, features, labels, augment);
                hook.accept(count, features);
            }
        };
    }

    private static double mean(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }
}
