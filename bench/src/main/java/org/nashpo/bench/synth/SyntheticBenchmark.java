package org.nashpo.bench.synth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.file.CodecFactory;
import org.nashpo.bench.format.BenchmarkGrid;
import org.nashpo.bench.format.BenchmarkWriter;
import org.nashpo.bench.format.ClassOrdinals;
import org.nashpo.bench.format.Metric;
import org.nashpo.bench.format.PredictionRow;
import org.nashpo.bench.format.RunRow;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.core.spec.BenchmarkSpec;
import org.nashpo.core.spec.Schedule;
import org.nashpo.schema.BenchmarkManifest;

/**
 * Writes a synthetic benchmark in the real format, for any cell space and network family: by default
 * NAS-HPO-Bench-II's full size, 1,011 classes × 48 HPs × 3 seeds × 12 epochs and a 200-epoch
 * prediction for all 196,608 configurations; for NAS-Bench-201's space 5,425 classes and 750,000
 * configurations; or what a spec describes ({@link Design#of(BenchmarkSpec)}). Until trained
 * benchmarks exist, the query API, the optimizers and their experiments are built and tested on it.
 *
 * <p>The model is smooth and plausible rather than true. A class's attainable accuracy grows with the
 * convs and the conv depth on its input→output paths (a conv counted by its kernel,
 * {@link CellFeatures}) and with parallel paths, plus a seeded class effect; a cell with no such path
 * is at chance. The best learning rate grows with the batch size, accuracy falls off in log(lr)
 * around it, and large batches lose a little in the short schedule. Large learning rates with small
 * batches sometimes diverge (per seed): the run is then filled by the format's rule for diverged runs
 * — chance accuracy, no NaN. Learning curves saturate over the short schedule with noise that shrinks
 * as they go. Times follow the network's multiply-adds (counted in the design's network) and the batch
 * size (per-batch overhead, worse utilisation of small batches), with jitter. The long-schedule
 * prediction is the same structure trained longer: higher, a different best learning rate, smaller
 * batch penalty, and the seeds' chance of diverging averaged in.
 *
 * <p>Everything random derives from the one seed: each class and each run has its own
 * {@link SplittableRandom} seeded from (seed, class ordinal in its space, or run's position in the
 * space's full grid), so the output depends on nothing else, and a design on part of the grid holds
 * the same values as the full one on the keys they share.
 */
public final class SyntheticBenchmark {

    /** The manifest's source; protocol id of every synthetic benchmark of this model version. */
    public static final String SOURCE = "synthetic";
    public static final String PROTOCOL_ID = "synthetic-model-1";

    private static final int TRAIN_IMAGES = 25_000;
    private static final int VALID_IMAGES = 25_000;
    private static final int TEST_IMAGES = 10_000;
    /** Multiply-adds per second of the simulated device at full utilisation. */
    private static final double DEVICE_MACS_PER_SECOND = 1.0e12;
    private static final double SECONDS_PER_BATCH = 0.0035;
    private static final float CHANCE = BenchmarkLayout.CHANCE_ACCURACY;

    private SyntheticBenchmark() {
    }

    /**
     * What a synthetic benchmark holds.
     *
     * @param grid its space, network family, schedules and grid
     * @param network the network the costs are counted in; its family is the grid's
     * @param classes the classes of the space with runs in the short schedule, distinct; the long schedule
     *     predicts every configuration of the grid
     * @param origin what the design came from (a spec's name and hash), recorded in the manifest's provenance
     * @param split how the network's data set is divided, which the manifest names with the data set (the model's
     *     accuracies are CIFAR-10-like whatever the data set)
     */
    public record Design(BenchmarkGrid grid, NetworkShape network, List<CellClass> classes,
            Map<String, String> origin, DataSplit split) {

        public Design {
            Objects.requireNonNull(grid, "grid");
            Objects.requireNonNull(network, "network");
            classes = List.copyOf(classes);
            origin = Map.copyOf(origin);
            if (network.family() != grid.family()) {
                throw new IllegalArgumentException("network: its family " + network.family() + " is not the grid's "
                        + grid.family());
            }
            if (classes.isEmpty()) {
                throw new IllegalArgumentException("classes: a benchmark needs runs of at least one class");
            }
            for (CellClass c : classes) {
                if (!c.representative().space().equals(grid.space())) {
                    throw new IllegalArgumentException("classes: " + c.representative() + " is a cell of the space "
                            + c.representative().space() + ", not of the grid's " + grid.space());
                }
            }
            if (classes.stream().distinct().count() != classes.size()) {
                throw new IllegalArgumentException("classes: a class is listed twice");
            }
            Objects.requireNonNull(split, "split").requireSupports(network.dataset());
        }

        /** A design on its network's data set divided as that data set is by default. */
        public Design(BenchmarkGrid grid, NetworkShape network, List<CellClass> classes, Map<String, String> origin) {
            this(grid, network, classes, origin, network.dataset().defaultSplit());
        }

        /** NAS-HPO-Bench-II's full size: what {@code synth-bench} writes by default. */
        public static Design published() {
            return full(SearchSpace.NAS_HPO_BENCH_2, NetworkFamily.NAS_HPO_BENCH_2);
        }

        /**
         * The published shape in another space and network family: 12 and 200 epochs, every class ×
         * 8 learning rates × 6 batch sizes × 3 seeds, in the family's width-16, 5-cells-per-stage,
         * 3-stage network.
         */
        public static Design full(SearchSpace space, NetworkFamily family) {
            return new Design(BenchmarkGrid.full(space, family), NetworkShape.BENCHMARK.withFamily(family),
                    space.classes(), Map.of());
        }

        /**
         * What a spec would build, trained by the model instead: its space, network and grid; the short
         * schedule is its shortest one, with the classes that schedule selects; the long schedule its
         * longest if it has several lengths (predicting every configuration, as a fitted surrogate does),
         * none otherwise. The grid must lie within the protocol's ({@link HpGrid}).
         */
        public static Design of(BenchmarkSpec spec) {
            TreeSet<Integer> lengths = new TreeSet<>();
            spec.schedules().forEach(s -> lengths.add(s.epochs()));
            int shortEpochs = lengths.first();
            int longEpochs = lengths.size() > 1 ? lengths.last() : 0;
            TreeSet<CellClass> classes = new TreeSet<>((a, b) -> a.representative().compareTo(b.representative()));
            for (Schedule s : spec.schedules()) {
                if (s.epochs() == shortEpochs) {
                    classes.addAll(s.cells().classes(spec.space()));
                }
            }
            BenchmarkGrid grid = new BenchmarkGrid(spec.space(), spec.network().family(), shortEpochs, longEpochs,
                    spec.grid().lrs(), spec.grid().batchSizes(), spec.grid().seeds());
            return new Design(grid, spec.network(), new ArrayList<>(classes),
                    Map.of("spec", spec.name(), "specHash", spec.specHash()), spec.data().split());
        }
    }

    /**
     * Writes NAS-HPO-Bench-II's full-size synthetic benchmark to {@code directory} (absent or empty),
     * uncompressed: its noisy floats shrink by only a fifth with deflate, which costs more time to undo
     * than reading the bytes. Returns the manifest.
     */
    public static BenchmarkManifest write(Path directory, long seed) {
        return write(directory, seed, Design.published());
    }

    /** Writes the synthetic benchmark of a design, uncompressed. */
    public static BenchmarkManifest write(Path directory, long seed, Design design) {
        return write(directory, seed, design, CodecFactory.nullCodec());
    }

    public static BenchmarkManifest write(Path directory, long seed, Design design, CodecFactory codec) {
        Map<String, String> provenance = new TreeMap<>(Map.of("generator", SyntheticBenchmark.class.getName(),
                "model", PROTOCOL_ID, "seed", Long.toString(seed)));
        if (!design.equals(Design.published())) {
            // the published design's provenance (and with it the data files' bytes) stays what it always was
            provenance.put("network", design.network().describe());
            provenance.put("classes", Integer.toString(design.classes().size()));
            provenance.putAll(design.origin());
        }
        BenchmarkGrid grid = design.grid();
        SearchSpace space = grid.space();
        int epochs = grid.shortEpochs();
        try (BenchmarkWriter writer = BenchmarkWriter.create(directory, grid,
                Manifests.data(design.network().dataset(), design.split()), PROTOCOL_ID, SOURCE, provenance, codec)) {
            ClassOrdinals ordinals = ClassOrdinals.of(space);
            List<CellClass> classes = space.classes();
            ClassModel[] models = new ClassModel[classes.size()];
            for (int c = 0; c < classes.size(); c++) {
                models[c] = ClassModel.of(classes.get(c).representative(), design.network(), seed, c, epochs);
            }
            int[] hps = hps(grid);
            RunRow row = new RunRow(space);
            for (CellClass cls : design.classes()) {
                int c = ordinals.ordinal(cls.representative().index());
                for (int hp : hps) {
                    for (int seedValue : grid.seeds()) {
                        // the run's position in the space's full grid: a sub-grid draws what the full one does
                        int slot = (c * HpGrid.HP_COUNT + hp) * HpGrid.SEEDS.size() + HpGrid.SEEDS.indexOf(seedValue);
                        models[c].run(row, hp, seedValue, new SplittableRandom(mix(seed, 1, slot)));
                        writer.append(row);
                    }
                }
            }
            if (grid.longEpochs() > 0) {
                PredictionRow prediction = new PredictionRow(space).epochs(grid.longEpochs());
                for (CellCode cell : space.cells()) {
                    ClassModel model = models[ordinals.ordinal(cell.index())];
                    for (int hp : hps) {
                        writer.append(prediction.cell(cell.index()).learningRate(lr(hp)).batchSize(batch(hp))
                                .meanTestAccuracy(model.longAccuracy(hp)));
                    }
                }
            }
            return writer.finish();
        }
    }

    /** The grid's HP pairs as the protocol numbers them (lr·6 + batch), ascending. */
    private static int[] hps(BenchmarkGrid grid) {
        return grid.learningRates().stream()
                .flatMapToInt(lr -> grid.batchSizes().stream()
                        .mapToInt(b -> HpGrid.lrIndex(lr) * HpGrid.BATCH_SIZES.size() + HpGrid.batchIndex(b)))
                .toArray();
    }

    private static double lr(int hp) {
        return HpGrid.LEARNING_RATES.get(hp / HpGrid.BATCH_SIZES.size());
    }

    private static int batch(int hp) {
        return HpGrid.BATCH_SIZES.get(hp % HpGrid.BATCH_SIZES.size());
    }

    /** A 64-bit seed from the master seed, a stream tag and an index (SplitMix64's finaliser). */
    static long mix(long seed, long stream, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xC2B2AE3D27D4EB4FL + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The model of one cell class: its attainable accuracy and cost, and how HPs and seeds vary them. */
    private record ClassModel(int representative, CellFeatures features, double ceiling, long parameters,
            long multiplyAdds, int epochs) {

        private static final Metric[] ACCURACIES = {Metric.TRAIN_ACCURACY, Metric.VALID_ACCURACY, Metric.TEST_ACCURACY};
        private static final Metric[] LOSSES = {Metric.TRAIN_LOSS, Metric.VALID_LOSS, Metric.TEST_LOSS};

        static ClassModel of(CellCode representative, NetworkShape network, long seed, int classOrdinal, int epochs) {
            CellFeatures f = CellFeatures.of(representative);
            NetworkCost cost = NetworkCost.of(representative, network);
            double ceiling = CHANCE;
            if (f.connected()) {
                double z = 1.2 * Math.min(f.convDepth(), 3) - 0.25 * Math.max(0, f.convDepth() - 3)
                        + 0.45 * Math.min(f.convs(), 5) + 0.35 * Math.min(f.paths() - 1, 3) + 0.15 * f.pools();
                double effect = 0.8 * new SplittableRandom(mix(seed, 2, classOrdinal)).nextGaussian();
                ceiling = 60 + 31 * (1 - Math.exp(-0.45 * z)) + effect;
            }
            return new ClassModel(representative.index(), f, ceiling, cost.parameters(), cost.multiplyAdds(), epochs);
        }

        /** The learning rate that suits a batch size best (linear-scaling-like, sublinear). */
        static double bestLr(int batch, boolean longSchedule) {
            return (longSchedule ? 0.04 : 0.025) * Math.pow(batch / 32.0, 0.6);
        }

        /** Expected accuracy (percent) after the schedule with these HPs, before divergence and noise. */
        double accuracy(int hp, boolean longSchedule) {
            if (!features.connected()) {
                return CHANCE;
            }
            double delta = Math.log(lr(hp) / bestLr(batch(hp), longSchedule)) / Math.log(2);
            double lrFactor = Math.exp(-(longSchedule ? 0.04 : 0.06) * delta * delta);
            double batchFactor = 1 - (longSchedule ? 0.008 : 0.025)
                    * Math.max(0, Math.log(batch(hp) / 64.0) / Math.log(2));
            double top = longSchedule ? Math.min(97, ceiling + 4 + 0.03 * (ceiling - 60)) : ceiling;
            return CHANCE + (top - CHANCE) * lrFactor * batchFactor;
        }

        /** Chance that a run with these HPs diverges: large lr per example, deep conv stacks a bit more. */
        double divergence(int hp) {
            if (!features.connected()) {
                return 0;
            }
            double perExample = lr(hp) / batch(hp) * 128;
            double threshold = 1.6 / (1 + 0.1 * features.convDepth());
            return 1 / (1 + Math.exp(-3 * Math.log(perExample / threshold) / Math.log(2)));
        }

        float longAccuracy(int hp) {
            double p = divergence(hp);
            return (float) ((1 - p) * accuracy(hp, true) + p * CHANCE);
        }

        void run(RunRow row, int hp, int seed, SplittableRandom rng) {
            int batch = batch(hp);
            double lr = lr(hp);
            // a one-epoch schedule has no epoch to diverge after
            boolean diverged = rng.nextDouble() < divergence(hp) && epochs > 1;
            int completed = diverged ? Math.min(epochs - 1, 1 + rng.nextInt(Math.max(1, epochs / 2))) : epochs;
            double finalAcc = accuracy(hp, false) + 0.4 * rng.nextGaussian();
            if (diverged) {
                finalAcc = CHANCE + 0.6 * (finalAcc - CHANCE);
            }
            double rate = 0.25 + 0.3 * Math.min(1, lr / bestLr(batch, false));
            double norm = 1 - Math.exp(-rate * epochs);
            double util = batch / (batch + 48.0);
            double runJitter = Math.exp(0.03 * rng.nextGaussian());
            double trainBase = (3.0 * TRAIN_IMAGES * multiplyAdds / (DEVICE_MACS_PER_SECOND * util)
                    + Math.ceil((double) TRAIN_IMAGES / batch) * SECONDS_PER_BATCH + 0.6) * runJitter;
            double validBase = (VALID_IMAGES * (double) multiplyAdds / (DEVICE_MACS_PER_SECOND * util) + 0.3)
                    * runJitter;
            double testBase = (TEST_IMAGES * (double) multiplyAdds / (DEVICE_MACS_PER_SECOND * util) + 0.15)
                    * runJitter;
            double previousTrainAcc = CHANCE;
            double[] sums = new double[3];
            for (int e = 0; e < completed; e++) {
                double progress = (1 - Math.exp(-rate * (e + 1))) / norm;
                double noise = 1.2 * (1 - (e + 1) / (epochs + 1.0));
                double valid = features.connected()
                        ? clamp(CHANCE + (finalAcc - CHANCE) * progress + noise * rng.nextGaussian())
                        : clamp(CHANCE + 0.15 * rng.nextGaussian());
                double test = features.connected() ? clamp(valid + 0.4 + 0.25 * rng.nextGaussian()) : CHANCE;
                double train = clamp(valid + (100 - valid) * 0.25 * (e + 1) / epochs);
                row.value(Metric.VALID_ACCURACY, e, (float) valid)
                        .value(Metric.TEST_ACCURACY, e, (float) test)
                        .value(Metric.TRAIN_ACCURACY, e, (float) train)
                        .value(Metric.VALID_LOSS, e, loss(valid, rng))
                        .value(Metric.TEST_LOSS, e, loss(test, rng))
                        .value(Metric.TRAIN_LOSS, e, (float) (loss((train + previousTrainAcc) / 2, rng) + 0.05));
                previousTrainAcc = train;
                double warmUp = e == 0 ? 1.08 : 1;
                sums[0] += time(row, Metric.TRAIN_SECONDS, e, trainBase * warmUp, rng);
                sums[1] += time(row, Metric.VALID_SECONDS, e, validBase, rng);
                sums[2] += time(row, Metric.TEST_SECONDS, e, testBase, rng);
            }
            for (int e = completed; e < epochs; e++) {
                for (Metric m : ACCURACIES) {
                    row.value(m, e, CHANCE);
                }
                for (Metric m : LOSSES) {
                    row.value(m, e, BenchmarkLayout.CHANCE_LOSS);
                }
                row.value(Metric.TRAIN_SECONDS, e, (float) (sums[0] / completed))
                        .value(Metric.VALID_SECONDS, e, (float) (sums[1] / completed))
                        .value(Metric.TEST_SECONDS, e, (float) (sums[2] / completed));
            }
            double totalTrain = 0;
            double totalValid = 0;
            double totalTest = 0;
            for (int e = 0; e < epochs; e++) {
                totalTrain += row.value(Metric.TRAIN_SECONDS, e);
                totalValid += row.value(Metric.VALID_SECONDS, e);
                totalTest += row.value(Metric.TEST_SECONDS, e);
            }
            row.cell(representative).learningRate(lr).batchSize(batch).seed(seed).epochs(epochs)
                    .epochsCompleted(completed).parameters(parameters).multiplyAdds(multiplyAdds)
                    .totals((float) totalTrain, (float) (totalTrain + totalValid), (float) totalTest);
        }

        private static float time(RunRow row, Metric metric, int epoch, double base, SplittableRandom rng) {
            float t = (float) (base * Math.exp(0.015 * rng.nextGaussian()));
            row.value(metric, epoch, t);
            return t;
        }

        /** Cross-entropy that falls linearly from ln 10 at chance to 0 at 100 %, with 3 % noise. */
        private static float loss(double accuracy, SplittableRandom rng) {
            double l = BenchmarkLayout.CHANCE_LOSS * (100 - accuracy) / (100 - CHANCE);
            return (float) Math.max(0.005, l * (1 + 0.03 * rng.nextGaussian()));
        }

        private static double clamp(double accuracy) {
            return Math.max(0, Math.min(100, accuracy));
        }
    }
}
