package org.nashpo.bench.query;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.IntStream;
import org.nashpo.bench.format.BenchmarkFiles;
import org.nashpo.bench.format.ClassOrdinals;
import org.nashpo.bench.format.Metric;
import org.nashpo.bench.format.PredictionRow;
import org.nashpo.bench.format.RunRow;
import org.nashpo.core.bench.BenchmarkLayout;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkManifest;

/**
 * A benchmark opened for queries, with the original API's semantics (PROTOCOL.md §4). Immutable and
 * thread-safe: one instance serves any number of concurrent optimizer runs, each keeping its own
 * {@link Session}.
 *
 * <p>Every cellcode answers with the stored result of its class. 12-epoch accuracy after
 * {@code iepoch} epochs is the stored accuracy of that epoch; its cost at {@code iepoch} = 12 is the
 * stored total of the mode's phases (train: train; valid: train+valid; test: train+valid plus test),
 * before that the sum of the per-epoch times of those phases over the first {@code iepoch} epochs,
 * added in the original's order (all train epochs, then valid, then test). 200-epoch queries return
 * the surrogate's mean test accuracy and no cost. Values are stored as 32-bit floats.
 *
 * <p>The fast methods ({@link #accuracy}, {@link #cost}, {@link #longAccuracy}) take a configuration
 * index and a seed value, return a primitive and allocate nothing: arrays hold every result at
 * {@code ((class·48 + hp)·3 + seed)·12 + epoch}. Bad arguments are {@link IllegalArgumentException}s
 * naming the value and the valid ones.
 */
public final class Benchmark {

    private static final int EPOCHS = BenchmarkLayout.SHORT_EPOCHS;
    private static final int HPS = HpGrid.HP_COUNT;
    private static final int SEEDS = HpGrid.SEEDS.size();

    private final Path directory;
    private final BenchmarkManifest manifest;
    private final int seed0 = HpGrid.SEEDS.get(0);
    private final int seed1 = HpGrid.SEEDS.get(1);
    private final int seed2 = HpGrid.SEEDS.get(2);
    /** Cell index → first row of its class. */
    private final int[] classRow = new int[CellCode.COUNT];
    /** Per metric, [slot·12 + epoch]. */
    private final float[][] series;
    /** The accuracy series per mode. */
    private final float[][] accuracy;
    /** Per mode, [slot·12 + iepoch − 1]. */
    private final double[][] cost;
    private final byte[] epochsCompleted;
    private final long[] parameters;
    private final long[] multiplyAdds;
    /** [configuration index]. */
    private final float[] longAccuracy;

    private Benchmark(Path directory, BenchmarkManifest manifest, Loader loaded) {
        this.directory = directory;
        this.manifest = manifest;
        for (int cell = 0; cell < CellCode.COUNT; cell++) {
            classRow[cell] = ClassOrdinals.of(cell) * HPS;
        }
        this.series = loaded.series;
        this.accuracy = new float[][] {series[Metric.TRAIN_ACCURACY.ordinal()],
                series[Metric.VALID_ACCURACY.ordinal()], series[Metric.TEST_ACCURACY.ordinal()]};
        this.epochsCompleted = loaded.epochsCompleted;
        this.parameters = loaded.parameters;
        this.multiplyAdds = loaded.multiplyAdds;
        this.longAccuracy = loaded.longAccuracy;
        this.cost = costs(loaded);
    }

    /**
     * Opens the benchmark in {@code directory} (docs/BENCHMARK-FORMAT.md). Its manifest must match this
     * library's grid, and its tables must hold every class × HP × seed and every configuration
     * exactly once with valid values; otherwise an {@link IllegalArgumentException} says what is
     * wrong where.
     */
    public static Benchmark open(Path directory) {
        // Building the search space's classes takes ~0.3 s in a fresh JVM, so it runs on another core
        // while Avro, similarly slow to start, reads the manifest.
        ForkJoinTask<Integer> space = ForkJoinPool.commonPool().submit(ClassOrdinals::count);
        BenchmarkManifest manifest = BenchmarkFiles.readManifest(directory);
        space.join();
        Loader loader = new Loader();
        BenchmarkFiles.read(directory, manifest, loader::run, loader::prediction);
        loader.requireComplete(directory);
        return new Benchmark(directory, manifest, loader);
    }

    public Path directory() {
        return directory;
    }

    public BenchmarkManifest manifest() {
        return manifest;
    }

    /** A new, empty query log over this benchmark. */
    public Session newSession() {
        return new Session(this);
    }

    /** 12-epoch accuracy (percent) of {@code mode}'s split after {@code iepoch} epochs (1..12). */
    public double accuracy(int configIndex, Mode mode, int iepoch, int seed) {
        return accuracy[mode.ordinal()][slot(configIndex, seed) * EPOCHS + epochIndex(iepoch)];
    }

    /** 12-epoch cost (simulated seconds) of a query of {@code mode} at {@code iepoch} (1..12). */
    public double cost(int configIndex, Mode mode, int iepoch, int seed) {
        return cost[mode.ordinal()][slot(configIndex, seed) * EPOCHS + epochIndex(iepoch)];
    }

    /** 200-epoch answer: the surrogate's predicted mean test accuracy (percent). */
    public double longAccuracy(int configIndex) {
        return longAccuracy[requireIndex(configIndex)];
    }

    /** Any stored series at {@code iepoch} (1..12): losses and per-epoch times too. */
    public double value(int configIndex, Metric metric, int iepoch, int seed) {
        return series[metric.ordinal()][slot(configIndex, seed) * EPOCHS + epochIndex(iepoch)];
    }

    /** Epochs the run trained before it diverged; 12 for a run that did not. */
    public int epochsCompleted(int configIndex, int seed) {
        return epochsCompleted[slot(configIndex, seed)];
    }

    public long parameters(int configIndex) {
        return parameters[classRow[requireIndex(configIndex) / HPS] / HPS];
    }

    public long multiplyAdds(int configIndex) {
        return multiplyAdds[classRow[requireIndex(configIndex) / HPS] / HPS];
    }

    /** Answers a query by key; see the class comment for the semantics. */
    public Answer query(Query q) {
        int index = q.configIndex();
        if (q.epoch() == BenchmarkLayout.LONG_EPOCHS) {
            return new Answer(q, longAccuracy(index), OptionalDouble.empty(), OptionalInt.empty());
        }
        return new Answer(q, accuracy(index, q.mode(), q.iepoch(), q.seed()),
                OptionalDouble.of(cost(index, q.mode(), q.iepoch(), q.seed())), OptionalInt.of(q.seed()));
    }

    /** Answers several queries, in order. */
    public List<Answer> query(List<Query> queries) {
        List<Answer> answers = new ArrayList<>(queries.size());
        for (Query q : queries) {
            answers.add(query(q));
        }
        return answers;
    }

    /**
     * Batch query by index: fills {@code accuracies[i]} and {@code costs[i]} for {@code configIndices[i]}.
     * The arrays must be as long as the indices.
     */
    public void query(int[] configIndices, Mode mode, int iepoch, int seed, double[] accuracies, double[] costs) {
        if (accuracies.length != configIndices.length || costs.length != configIndices.length) {
            throw new IllegalArgumentException("batch query: " + configIndices.length + " indices but "
                    + accuracies.length + " accuracy and " + costs.length + " cost slots; expected equal lengths");
        }
        int epoch = epochIndex(iepoch);
        int s = seedIndex(seed);
        float[] acc = accuracy[mode.ordinal()];
        double[] c = cost[mode.ordinal()];
        for (int i = 0; i < configIndices.length; i++) {
            int offset = (row(configIndices[i]) * SEEDS + s) * EPOCHS + epoch;
            accuracies[i] = acc[offset];
            costs[i] = c[offset];
        }
    }

    /** Whole-table scan of 12-epoch answers: every configuration, in index order. */
    public void scan(Mode mode, int iepoch, int seed, EntryConsumer consumer) {
        int epoch = epochIndex(iepoch);
        int s = seedIndex(seed);
        float[] acc = accuracy[mode.ordinal()];
        double[] c = cost[mode.ordinal()];
        for (int index = 0; index < ConfigIndex.SIZE; index++) {
            int offset = (row(index) * SEEDS + s) * EPOCHS + epoch;
            consumer.accept(index, acc[offset], c[offset]);
        }
    }

    /** Whole-table scan of the 200-epoch predictions, in index order; the cost passed is NaN. */
    public void scanLong(EntryConsumer consumer) {
        for (int index = 0; index < ConfigIndex.SIZE; index++) {
            consumer.accept(index, longAccuracy[index], Double.NaN);
        }
    }

    /** Bytes of the arrays holding the benchmark (the heap an open benchmark retains, less small objects). */
    public long footprintBytes() {
        long bytes = 0;
        for (float[] s : series) {
            bytes += 4L * s.length;
        }
        for (double[] c : cost) {
            bytes += 8L * c.length;
        }
        return bytes + epochsCompleted.length + 8L * (parameters.length + multiplyAdds.length)
                + 4L * (longAccuracy.length + classRow.length);
    }

    /** Position of a seed in the benchmark's seeds; an error listing them otherwise. */
    public int seedIndex(int seed) {
        if (seed == seed0) {
            return 0;
        }
        if (seed == seed1) {
            return 1;
        }
        if (seed == seed2) {
            return 2;
        }
        return HpGrid.SEEDS.indexOf(HpGrid.requireSeed(seed));
    }

    private int slot(int configIndex, int seed) {
        return row(configIndex) * SEEDS + seedIndex(seed);
    }

    private int row(int configIndex) {
        return classRow[requireIndex(configIndex) / HPS] + configIndex % HPS;
    }

    private static int requireIndex(int configIndex) {
        if (configIndex < 0 || configIndex >= ConfigIndex.SIZE) {
            ConfigIndex.configuration(configIndex);
        }
        return configIndex;
    }

    private static int epochIndex(int iepoch) {
        if (iepoch < 1 || iepoch > EPOCHS) {
            Query.requireIepoch(EPOCHS, iepoch);
        }
        return iepoch - 1;
    }

    /**
     * Cost of every slot, mode and iepoch, summed as the original API sums them: a fresh left-to-right
     * sum of the phases' epoch times below 12, the stored totals at 12.
     */
    private static double[][] costs(Loader loaded) {
        double[][] cost = new double[Mode.VALUES.length][loaded.slots * EPOCHS];
        float[] train = loaded.series[Metric.TRAIN_SECONDS.ordinal()];
        float[] valid = loaded.series[Metric.VALID_SECONDS.ordinal()];
        float[] test = loaded.series[Metric.TEST_SECONDS.ordinal()];
        IntStream.range(0, loaded.slots).parallel().forEach(slot -> {
            int base = slot * EPOCHS;
            for (int i = 1; i < EPOCHS; i++) {
                double sum = 0;
                for (int e = 0; e < i; e++) {
                    sum += train[base + e];
                }
                cost[Mode.TRAIN.ordinal()][base + i - 1] = sum;
                for (int e = 0; e < i; e++) {
                    sum += valid[base + e];
                }
                cost[Mode.VALID.ordinal()][base + i - 1] = sum;
                for (int e = 0; e < i; e++) {
                    sum += test[base + e];
                }
                cost[Mode.TEST.ordinal()][base + i - 1] = sum;
            }
            cost[Mode.TRAIN.ordinal()][base + EPOCHS - 1] = loaded.totalTrain[slot];
            cost[Mode.VALID.ordinal()][base + EPOCHS - 1] = loaded.totalTrainValid[slot];
            cost[Mode.TEST.ordinal()][base + EPOCHS - 1] = (double) loaded.totalTrainValid[slot] + loaded.totalTest[slot];
        });
        return cost;
    }

    /** Places decoded rows into the arrays, checking each; called from several threads for distinct rows. */
    private static final class Loader {

        private static final double[] LEARNING_RATES =
                HpGrid.LEARNING_RATES.stream().mapToDouble(Double::doubleValue).toArray();
        private static final int[] BATCH_SIZES = HpGrid.BATCH_SIZES.stream().mapToInt(Integer::intValue).toArray();

        final int slots = ClassOrdinals.count() * HPS * SEEDS;
        final float[][] series = new float[Metric.VALUES.length][slots * EPOCHS];
        final float[] totalTrain = new float[slots];
        final float[] totalTrainValid = new float[slots];
        final float[] totalTest = new float[slots];
        final byte[] epochsCompleted = new byte[slots];
        final byte[] seen = new byte[slots];
        final long[] parameters = new long[ClassOrdinals.count()];
        final long[] multiplyAdds = new long[ClassOrdinals.count()];
        final float[] longAccuracy = new float[ConfigIndex.SIZE];
        final byte[] seenLong = new byte[ConfigIndex.SIZE];

        void run(RunRow r) {
            int hp = hp(r.learningRate(), r.batchSize());
            int s = HpGrid.SEEDS.indexOf(HpGrid.requireSeed(r.seed()));
            if (r.epochs() != EPOCHS) {
                throw new IllegalArgumentException("epochs: is " + r.epochs() + ", expected " + EPOCHS);
            }
            if (r.epochsCompleted() < 0 || r.epochsCompleted() > EPOCHS) {
                throw new IllegalArgumentException("epochsCompleted: is " + r.epochsCompleted() + ", expected 0.."
                        + EPOCHS);
            }
            for (Metric m : Metric.VALUES) {
                if (r.length(m) != EPOCHS) {
                    throw new IllegalArgumentException(m.field() + ": has " + r.length(m) + " values, expected "
                            + EPOCHS + " (one per epoch)");
                }
                if (m.isAccuracy() || m.isTime()) {
                    for (int e = 0; e < EPOCHS; e++) {
                        float v = r.value(m, e);
                        // the message is built only for a bad value: this runs 18 million times per open
                        if (m.isAccuracy() ? !(v >= 0 && v <= 100) : !(v >= 0 && v < Float.POSITIVE_INFINITY)) {
                            requireValue(m.field() + "[" + e + "]", m, v);
                        }
                    }
                }
            }
            requireSeconds("totalTrainSeconds", r.totalTrainSeconds());
            requireSeconds("totalTrainValidSeconds", r.totalTrainValidSeconds());
            requireSeconds("totalTestSeconds", r.totalTestSeconds());
            int cls = ClassOrdinals.of(r.cell());
            int slot = (cls * HPS + hp) * SEEDS + s;
            if (seen[slot] != 0) {
                throw new IllegalArgumentException("is a second row for its class × lr × batch size × seed; "
                        + "expected exactly one");
            }
            seen[slot] = 1;
            for (Metric m : Metric.VALUES) {
                r.copy(m, series[m.ordinal()], slot * EPOCHS);
            }
            totalTrain[slot] = r.totalTrainSeconds();
            totalTrainValid[slot] = r.totalTrainValidSeconds();
            totalTest[slot] = r.totalTestSeconds();
            epochsCompleted[slot] = (byte) r.epochsCompleted();
            parameters[cls] = r.parameters();
            multiplyAdds[cls] = r.multiplyAdds();
        }

        void prediction(PredictionRow p) {
            int index = p.cell() * HPS + hp(p.learningRate(), p.batchSize());
            if (p.epochs() != BenchmarkLayout.LONG_EPOCHS) {
                throw new IllegalArgumentException("epochs: is " + p.epochs() + ", expected "
                        + BenchmarkLayout.LONG_EPOCHS);
            }
            requireValue("meanTestAccuracy", Metric.TEST_ACCURACY, p.meanTestAccuracy());
            if (seenLong[index] != 0) {
                throw new IllegalArgumentException("is a second prediction for its configuration; expected exactly one");
            }
            seenLong[index] = 1;
            longAccuracy[index] = p.meanTestAccuracy();
        }

        /** The HP pair's position in the grid, without boxing (it runs for every row); errors from HpGrid. */
        private static int hp(double lr, int batch) {
            int l = 0;
            while (l < LEARNING_RATES.length && LEARNING_RATES[l] != lr) {
                l++;
            }
            int b = 0;
            while (b < BATCH_SIZES.length && BATCH_SIZES[b] != batch) {
                b++;
            }
            if (l == LEARNING_RATES.length || b == BATCH_SIZES.length) {
                return HpGrid.lrIndex(lr) * BATCH_SIZES.length + HpGrid.batchIndex(batch);
            }
            return l * BATCH_SIZES.length + b;
        }

        private static void requireValue(String field, Metric metric, float v) {
            if (metric.isAccuracy() && !(v >= 0 && v <= 100)) {
                throw new IllegalArgumentException(field + ": is " + v + ", expected a percentage in 0..100");
            }
            if (metric.isTime()) {
                requireSeconds(field, v);
            }
        }

        private static void requireSeconds(String field, float v) {
            if (!(v >= 0) || Float.isInfinite(v)) {
                throw new IllegalArgumentException(field + ": is " + v + ", expected a finite time ≥ 0 s");
            }
        }

        /** Every slot and configuration must have been read; a miss names the first few keys. */
        void requireComplete(Path directory) {
            List<String> missing = new ArrayList<>();
            int count = 0;
            for (int slot = 0; slot < slots; slot++) {
                if (seen[slot] == 0) {
                    if (count++ < 5) {
                        int row = slot / SEEDS;
                        int hp = row % HPS;
                        missing.add(Objects.toString(ConfigIndex.configuration(
                                representative(row / HPS) * HPS + hp)) + " seed=" + HpGrid.SEEDS.get(slot % SEEDS));
                    }
                }
            }
            if (count > 0) {
                throw new IllegalArgumentException("benchmark " + directory + ": " + BenchmarkLayout.RUNS_TABLE
                        + " has no row for " + count + " of the " + slots + " class × lr × batch size × seed keys "
                        + "(or holds another key twice), e.g. " + String.join("; ", missing));
            }
            for (int index = 0; index < ConfigIndex.SIZE; index++) {
                if (seenLong[index] == 0) {
                    count++;
                    if (missing.size() < 5) {
                        missing.add(ConfigIndex.configuration(index).toString());
                    }
                }
            }
            if (count > 0) {
                throw new IllegalArgumentException("benchmark " + directory + ": " + BenchmarkLayout.PREDICTIONS_TABLE
                        + " has no row for " + count + " of the " + ConfigIndex.SIZE + " configurations "
                        + "(or holds another twice), e.g. " + String.join("; ", missing));
            }
        }

        private static int representative(int classOrdinal) {
            return SearchSpace.get().classes().get(classOrdinal).representative().index();
        }
    }
}
