package org.nashpo.bench.query;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.nashpo.bench.format.BenchmarkFiles;
import org.nashpo.bench.format.ClassOrdinals;
import org.nashpo.bench.format.Metric;
import org.nashpo.bench.format.PredictionRow;
import org.nashpo.bench.format.RunRow;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.ClassRating;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkManifest;

/**
 * A benchmark opened for queries, with the original API's semantics (PROTOCOL.md §4). Immutable and
 * thread-safe: one instance serves any number of concurrent optimizer runs, each keeping its own
 * {@link Session}.
 *
 * <p>A benchmark has a cell space, a network family and a data set, named by its manifest (NAS-HPO-Bench-II's
 * and CIFAR-10 for a manifest written without them); a directory of data sets holds one benchmark per data set,
 * which {@link #open(Path, String)} opens by name: {@link #space()} numbers its cellcodes and configurations
 * ({@link ConfigIndex} in that space: K⁶ cellcodes × 48), and {@link #cell(String)} reads a cell as
 * its users name it, a cellcode in the space's digits or a NAS-Bench-201 architecture string.
 *
 * <p>A benchmark has a short schedule of S epochs (12 in the published one; {@link #shortEpochs()})
 * whose trained runs answer queries, and optionally a long schedule of L epochs
 * ({@link #longEpochs()}, 200 in the published one) answered by the predictions table. Every
 * cellcode answers with the stored result of its class. Short-schedule accuracy after
 * {@code iepoch} epochs is the stored accuracy of that epoch; its cost at {@code iepoch} = S is the
 * stored total of the mode's phases (train: train; valid: train+valid; test: train+valid plus test),
 * before that the sum of the per-epoch times of those phases over the first {@code iepoch} epochs,
 * added in the original's order (all train epochs, then valid, then test). Long-schedule queries
 * return the surrogate's mean test accuracy and no cost. Values are stored as 32-bit floats.
 *
 * <p>A benchmark of format 2 may be partial: it holds the learning rates, batch sizes and seeds of
 * its manifest, and of those the keys its runs table has. A query of a key it does not hold is an
 * {@link IllegalArgumentException} naming the key; {@link #has} and {@link #hasLongAccuracy} ask
 * first, and scans skip such keys. A format-1 benchmark must hold every key.
 *
 * <p>The fast methods ({@link #accuracy}, {@link #cost}, {@link #longAccuracy}) take a configuration
 * index and a seed value, return a primitive and allocate nothing: arrays hold every result at
 * {@code ((class·H + hp)·seeds + seed)·S + epoch}, H the benchmark's learning rates × batch sizes.
 * Bad arguments are {@link IllegalArgumentException}s naming the value and the valid ones.
 */
public final class Benchmark {

    private static final int GRID_HPS = HpGrid.HP_COUNT;

    private final Path directory;
    private final BenchmarkManifest manifest;
    private final SearchSpace space;
    private final NetworkFamily family;
    private final ClassOrdinals ordinals;
    /** Configurations of the space: cellcodes × the protocol grid's 48 HP pairs. */
    private final int configurations;
    /** S: epochs of the runs table. */
    private final int epochs;
    /** L: epochs of the predictions table; 0 without one. */
    private final int longEpochs;
    /** Learning rates × batch sizes of the benchmark. */
    private final int hps;
    private final int[] seeds;
    /** Position of the protocol grid's HP pair (0..47) among the benchmark's, −1 if it has not that pair. */
    private final int[] hpOf;
    /** Cell index → first row of its class. */
    private final int[] classRow;
    /** Per slot: 1 if the runs table holds it. */
    private final byte[] present;
    /** Per metric, [slot·S + epoch]. */
    private final float[][] series;
    /** The accuracy series per mode. */
    private final float[][] accuracy;
    /** Per mode, [slot·S + iepoch − 1]. */
    private final double[][] cost;
    private final byte[] epochsCompleted;
    private final long[] parameters;
    private final long[] multiplyAdds;
    /** [configuration index]; NaN where there is no prediction. */
    private final float[] longAccuracy;
    private final byte[] longPresent;

    private Benchmark(Path directory, BenchmarkManifest manifest, Loader loaded) {
        this.directory = directory;
        this.manifest = manifest;
        this.space = loaded.space;
        this.family = Manifests.family(manifest);
        this.ordinals = loaded.ordinals;
        this.configurations = ConfigIndex.size(space);
        this.epochs = loaded.epochs;
        this.longEpochs = manifest.getLongEpochs();
        this.hps = loaded.hps;
        this.seeds = loaded.seeds;
        this.hpOf = loaded.hpOf;
        this.classRow = new int[space.size()];
        for (int cell = 0; cell < space.size(); cell++) {
            classRow[cell] = ordinals.ordinal(cell) * hps;
        }
        this.present = loaded.seen;
        this.series = loaded.series;
        this.accuracy = new float[][] {series[Metric.TRAIN_ACCURACY.ordinal()],
                series[Metric.VALID_ACCURACY.ordinal()], series[Metric.TEST_ACCURACY.ordinal()]};
        this.epochsCompleted = loaded.epochsCompleted;
        this.parameters = loaded.parameters;
        this.multiplyAdds = loaded.multiplyAdds;
        this.longAccuracy = loaded.longAccuracy;
        this.longPresent = loaded.seenLong;
        this.cost = costs(loaded);
    }

    /**
     * Opens the benchmark in {@code directory} (docs/BENCHMARK-FORMAT.md, format 1 or 2). Its manifest
     * must describe a grid within the protocol's, and its tables must hold each key at most once
     * with valid values (a format-1 benchmark: every key exactly once); otherwise an
     * {@link IllegalArgumentException} says what is wrong where.
     */
    public static Benchmark open(Path directory) {
        return open(directory, BenchmarkFiles.readManifest(directory));
    }

    /**
     * Opens the benchmark of one data set, by its name ({@code "cifar10"}, {@code "cifar100"},
     * {@code "imagenet16-120"}), as NAS-Bench-201's API is asked for {@code dataset='cifar100'}: in a directory of
     * data sets its subdirectory of that name (docs/BENCHMARK-FORMAT.md), or a benchmark directory whose manifest
     * names that data set. Another name, or a data set the directory does not hold, is an
     * {@link IllegalArgumentException} saying which data sets it holds.
     */
    public static Benchmark open(Path directory, String dataset) {
        Dataset wanted = Dataset.bySpecName(dataset).orElseThrow(() -> new IllegalArgumentException("dataset \""
                + dataset + "\": unknown; expected one of " + String.join(", ", Dataset.specNames())));
        Path benchmark = Files.isRegularFile(directory.resolve(BenchmarkLayout.MANIFEST)) ? directory
                : directory.resolve(BenchmarkLayout.datasetDirectory(wanted));
        if (!Files.isRegularFile(benchmark.resolve(BenchmarkLayout.MANIFEST))) {
            List<String> held = datasets(directory);
            throw new IllegalArgumentException("benchmark directory " + directory + " holds no benchmark of " + dataset
                    + (held.isEmpty() ? " (nor of any data set)" : "; it holds " + String.join(", ", held)));
        }
        BenchmarkManifest manifest = BenchmarkFiles.readManifest(benchmark);
        Dataset holds = Manifests.dataset(manifest);
        if (holds != wanted) {
            throw new IllegalArgumentException("benchmark directory " + benchmark + " holds " + holds + ", not "
                    + dataset);
        }
        return open(benchmark, manifest);
    }

    /**
     * The data sets {@link #open(Path, String)} finds in a directory: a benchmark's own, or those of the
     * subdirectories of a directory of data sets.
     */
    public static List<String> datasets(Path directory) {
        if (Files.isRegularFile(directory.resolve(BenchmarkLayout.MANIFEST))) {
            return List.of(Manifests.dataset(BenchmarkFiles.readManifest(directory)).specName());
        }
        return BenchmarkFiles.datasets(directory);
    }

    private static Benchmark open(Path directory, BenchmarkManifest manifest) {
        Loader loader = new Loader(manifest);
        BenchmarkFiles.read(directory, manifest, loader::run, loader::prediction);
        if (manifest.getFormatVersion() == 1) {
            loader.requireComplete(directory);
        }
        return new Benchmark(directory, manifest, loader);
    }

    public Path directory() {
        return directory;
    }

    public BenchmarkManifest manifest() {
        return manifest;
    }

    /** The cell space: its operations in the digit order of the benchmark's cellcodes. */
    public SearchSpace space() {
        return space;
    }

    /** The network family the cells were trained in. */
    public NetworkFamily family() {
        return family;
    }

    /** The data set the runs were trained on (CIFAR-10 for a manifest written without it). */
    public Dataset dataset() {
        return Manifests.dataset(manifest);
    }

    /** How the data set was divided into train, valid and test (docs/PROTOCOL.md §8). */
    public DataSplit split() {
        return Manifests.split(manifest);
    }

    /**
     * The space and network in words, operations as the space names them:
     * {@code [conv, avgpool, skip, zero] (nas-hpo-bench-2)}.
     */
    public String describeSpace() {
        return describe(space, family);
    }

    /**
     * A cell space and network family in words, operations as the space names them
     * ({@link SearchSpace#nameOf}).
     */
    public static String describe(SearchSpace space, NetworkFamily family) {
        return space.operations().stream().map(space::nameOf).toList() + " (" + family.specName() + ")";
    }

    /** Configurations of the space (K⁶ cellcodes × 48), held or not: indices run from 0 to this − 1. */
    public int configurationCount() {
        return configurations;
    }

    /**
     * The cell {@code text} names in the benchmark's space: a cellcode in its digits ({@code A|BC|DEF}) or
     * a NAS-Bench-201 architecture string; an {@link IllegalArgumentException} naming the text and the
     * forms expected otherwise.
     */
    public CellCode cell(String text) {
        return space.parse(text);
    }

    /** The configuration with this index in the benchmark's space. */
    public Configuration configuration(int configIndex) {
        return ConfigIndex.configuration(space, configIndex);
    }

    /**
     * The index of a configuration in the benchmark's space; a cell of another space counts as the cell
     * with the same operations, and is an error naming them if the space lacks one.
     */
    public int indexOf(Configuration configuration) {
        CellCode cell = configuration.cell();
        if (!cell.space().equals(space)) {
            configuration = new Configuration(cell.in(space), configuration.learningRate(), configuration.batchSize());
        }
        return ConfigIndex.indexOf(configuration);
    }

    /** Whether users name this benchmark's cells by NAS-Bench-201 architecture strings too: a nas-bench-201 one. */
    public boolean archStrings() {
        return family == NetworkFamily.NAS_BENCH_201;
    }

    /**
     * A cell as this benchmark's users name it: its cellcode, followed in a nas-bench-201-family benchmark
     * by its architecture string ({@code 3|33|333 |none~0|+|none~0|none~1|+|none~0|none~1|none~2|}).
     */
    public String cellName(CellCode cell) {
        CellCode own = cell.in(space);
        return archStrings() ? own + " " + own.nb201String() : own.toString();
    }

    /** S: the schedule length of the trained runs queries read (12 in the published benchmark). */
    public int shortEpochs() {
        return epochs;
    }

    /** L: the schedule length of the predictions (200 in the published benchmark); 0 if there are none. */
    public int longEpochs() {
        return longEpochs;
    }

    /** A new, empty query log over this benchmark. */
    public Session newSession() {
        return new Session(this);
    }

    /** Whether the runs table holds this configuration (its class × lr × batch size) with this seed. */
    public boolean has(int configIndex, int seed) {
        int hp = hpOf[requireIndex(configIndex) % GRID_HPS];
        int s = indexOfSeed(seed);
        return hp >= 0 && s >= 0 && present[(classRow[configIndex / GRID_HPS] + hp) * seeds.length + s] != 0;
    }

    /** Whether the predictions table holds this configuration. */
    public boolean hasLongAccuracy(int configIndex) {
        return longPresent[requireIndex(configIndex)] != 0;
    }

    /** Short-schedule accuracy (percent) of {@code mode}'s split after {@code iepoch} epochs (1..S). */
    public double accuracy(int configIndex, Mode mode, int iepoch, int seed) {
        return accuracy[mode.ordinal()][slot(configIndex, seed) * epochs + epochIndex(iepoch)];
    }

    /** Short-schedule cost (simulated seconds) of a query of {@code mode} at {@code iepoch} (1..S). */
    public double cost(int configIndex, Mode mode, int iepoch, int seed) {
        return cost[mode.ordinal()][slot(configIndex, seed) * epochs + epochIndex(iepoch)];
    }

    /** Long-schedule answer: the surrogate's predicted mean test accuracy (percent). */
    public double longAccuracy(int configIndex) {
        if (longPresent[requireIndex(configIndex)] == 0) {
            throw missingPrediction(configIndex);
        }
        return longAccuracy[configIndex];
    }

    /** Any stored series at {@code iepoch} (1..S): losses and per-epoch times too. */
    public double value(int configIndex, Metric metric, int iepoch, int seed) {
        return series[metric.ordinal()][slot(configIndex, seed) * epochs + epochIndex(iepoch)];
    }

    /** Epochs the run trained before it diverged; S for a run that did not. */
    public int epochsCompleted(int configIndex, int seed) {
        return epochsCompleted[slot(configIndex, seed)];
    }

    public long parameters(int configIndex) {
        return parameters[ordinals.ordinal(requireIndex(configIndex) / GRID_HPS)];
    }

    public long multiplyAdds(int configIndex) {
        return multiplyAdds[ordinals.ordinal(requireIndex(configIndex) / GRID_HPS)];
    }

    /**
     * How this benchmark rates {@code cell}'s class at one learning rate and batch size: the class's
     * short-schedule test accuracy (mean over the benchmark's seeds) and its long-schedule prediction,
     * each ranked among the classes of the benchmark's space (1 = best; ties share the better rank).
     * A cell of another space counts as the cell with the same operations ({@link #indexOf}).
     */
    public ClassRating rate(CellCode cell, double lr, int batchSize) {
        List<CellClass> classes = space.classes();
        int mine = indexOf(new Configuration(cell, lr, batchSize));
        double mine12 = meanTest(mine);
        double mine200 = longAccuracy(mine);
        int better12 = 0;
        int better200 = 0;
        for (CellClass c : classes) {
            int index = indexOf(new Configuration(c.representative(), lr, batchSize));
            if (meanTest(index) > mine12) {
                better12++;
            }
            if (longAccuracy(index) > mine200) {
                better200++;
            }
        }
        return new ClassRating(directory.toString(), lr, batchSize, mine12, better12 + 1, mine200, better200 + 1,
                classes.size());
    }

    private double meanTest(int configIndex) {
        double sum = 0;
        for (int s : seeds) {
            sum += accuracy(configIndex, Mode.TEST, epochs, s);
        }
        return sum / seeds.length;
    }

    /**
     * Answers a query by key; see the class comment for the semantics. Its cell counts in the benchmark's
     * space ({@link #indexOf}).
     */
    public Answer query(Query q) {
        int index = indexOf(q.configuration());
        if (q.epoch() == epochs) {
            return new Answer(q, accuracy(index, q.mode(), q.iepoch(), q.seed()),
                    OptionalDouble.of(cost(index, q.mode(), q.iepoch(), q.seed())), OptionalInt.of(q.seed()));
        }
        if (longEpochs > 0 && q.epoch() == longEpochs) {
            if (q.iepoch() != longEpochs) {
                throw new IllegalArgumentException("iepoch " + q.iepoch() + " is not available for " + longEpochs
                        + "-epoch queries, which predict the end of the schedule only; expected " + longEpochs);
            }
            return new Answer(q, longAccuracy(index), OptionalDouble.empty(), OptionalInt.empty());
        }
        throw new IllegalArgumentException("epoch " + q.epoch() + " is not a schedule of the benchmark; expected "
                + (longEpochs > 0 ? "one of " + epochs + ", " + longEpochs : String.valueOf(epochs)));
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
     * The arrays must be as long as the indices; a key the benchmark does not hold is an error.
     */
    public void query(int[] configIndices, Mode mode, int iepoch, int seed, double[] accuracies, double[] costs) {
        if (accuracies.length != configIndices.length || costs.length != configIndices.length) {
            throw new IllegalArgumentException("batch query: " + configIndices.length + " indices but "
                    + accuracies.length + " accuracy and " + costs.length + " cost slots; expected equal lengths");
        }
        int epoch = epochIndex(iepoch);
        float[] acc = accuracy[mode.ordinal()];
        double[] c = cost[mode.ordinal()];
        for (int i = 0; i < configIndices.length; i++) {
            int offset = slot(configIndices[i], seed) * epochs + epoch;
            accuracies[i] = acc[offset];
            costs[i] = c[offset];
        }
    }

    /** Whole-table scan of short-schedule answers: every configuration held with this seed, in index order. */
    public void scan(Mode mode, int iepoch, int seed, EntryConsumer consumer) {
        int epoch = epochIndex(iepoch);
        int s = seedIndex(seed);
        float[] acc = accuracy[mode.ordinal()];
        double[] c = cost[mode.ordinal()];
        for (int index = 0; index < configurations; index++) {
            int hp = hpOf[index % GRID_HPS];
            if (hp < 0) {
                continue;
            }
            int slot = (classRow[index / GRID_HPS] + hp) * seeds.length + s;
            if (present[slot] != 0) {
                int offset = slot * epochs + epoch;
                consumer.accept(index, acc[offset], c[offset]);
            }
        }
    }

    /** Whole-table scan of the long-schedule predictions held, in index order; the cost passed is NaN. */
    public void scanLong(EntryConsumer consumer) {
        for (int index = 0; index < configurations; index++) {
            if (longPresent[index] != 0) {
                consumer.accept(index, longAccuracy[index], Double.NaN);
            }
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
        return bytes + epochsCompleted.length + present.length + longPresent.length
                + 8L * (parameters.length + multiplyAdds.length) + 4L * (longAccuracy.length + classRow.length);
    }

    /** Position of a seed in the benchmark's seeds; an error listing them otherwise. */
    public int seedIndex(int seed) {
        int s = indexOfSeed(seed);
        if (s < 0) {
            HpGrid.requireSeed(seed);
            throw new IllegalArgumentException("seed " + seed + " is not one of this benchmark's seeds; expected one of "
                    + Arrays.toString(seeds).replaceAll("[\\[\\]]", ""));
        }
        return s;
    }

    private int indexOfSeed(int seed) {
        for (int i = 0; i < seeds.length; i++) {
            if (seeds[i] == seed) {
                return i;
            }
        }
        return -1;
    }

    private int slot(int configIndex, int seed) {
        int hp = hpOf[requireIndex(configIndex) % GRID_HPS];
        int s = seedIndex(seed);
        if (hp < 0) {
            throw missing(configIndex, seed, "its learning rate and batch size are not in the benchmark's grid (lrs "
                    + manifest.getLearningRates() + ", batch sizes " + manifest.getBatchSizes() + ")");
        }
        int slot = (classRow[configIndex / GRID_HPS] + hp) * seeds.length + s;
        if (present[slot] == 0) {
            throw missing(configIndex, seed, "the runs table has no row for it (see the manifest's completeness)");
        }
        return slot;
    }

    /** A configuration as the benchmark's users name it, for messages ({@link #cellName}). */
    private String describe(int configIndex) {
        Configuration c = configuration(configIndex);
        return cellName(c.cell()) + " lr=" + c.learningRate() + " batch=" + c.batchSize();
    }

    private IllegalArgumentException missing(int configIndex, int seed, String why) {
        return new IllegalArgumentException("benchmark " + directory + " does not hold "
                + describe(configIndex) + " seed=" + seed + " in "
                + BenchmarkLayout.runsTable(epochs) + ": " + why);
    }

    private IllegalArgumentException missingPrediction(int configIndex) {
        if (longEpochs == 0) {
            return new IllegalArgumentException("benchmark " + directory + " has no long schedule: no "
                    + "predictions to answer " + describe(configIndex));
        }
        return new IllegalArgumentException("benchmark " + directory + " has no prediction for "
                + describe(configIndex) + " in " + BenchmarkLayout.predictionsTable(longEpochs));
    }

    private int requireIndex(int configIndex) {
        if (configIndex < 0 || configIndex >= configurations) {
            configuration(configIndex);
        }
        return configIndex;
    }

    private int epochIndex(int iepoch) {
        if (iepoch < 1 || iepoch > epochs) {
            throw new IllegalArgumentException("iepoch " + iepoch + " is out of range for " + epochs
                    + "-epoch queries; expected 1 ≤ iepoch ≤ " + epochs);
        }
        return iepoch - 1;
    }

    /**
     * Cost of every slot, mode and iepoch, summed as the original API sums them: a fresh left-to-right
     * sum of the phases' epoch times below S, the stored totals at S.
     */
    private static double[][] costs(Loader loaded) {
        int epochs = loaded.epochs;
        double[][] cost = new double[Mode.VALUES.length][loaded.slots * epochs];
        float[] train = loaded.series[Metric.TRAIN_SECONDS.ordinal()];
        float[] valid = loaded.series[Metric.VALID_SECONDS.ordinal()];
        float[] test = loaded.series[Metric.TEST_SECONDS.ordinal()];
        IntStream.range(0, loaded.slots).parallel().forEach(slot -> {
            int base = slot * epochs;
            for (int i = 1; i < epochs; i++) {
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
            cost[Mode.TRAIN.ordinal()][base + epochs - 1] = loaded.totalTrain[slot];
            cost[Mode.VALID.ordinal()][base + epochs - 1] = loaded.totalTrainValid[slot];
            cost[Mode.TEST.ordinal()][base + epochs - 1] = (double) loaded.totalTrainValid[slot] + loaded.totalTest[slot];
        });
        return cost;
    }

    /** Places decoded rows into the arrays, checking each; called from several threads for distinct rows. */
    private static final class Loader {

        final SearchSpace space;
        final ClassOrdinals ordinals;
        final int epochs;
        final int longEpochs;
        final double[] learningRates;
        final int[] batchSizes;
        final int[] seeds;
        final int hps;
        final int[] hpOf = new int[GRID_HPS];
        final int slots;
        final float[][] series;
        final float[] totalTrain;
        final float[] totalTrainValid;
        final float[] totalTest;
        final byte[] epochsCompleted;
        final byte[] seen;
        final long[] parameters;
        final long[] multiplyAdds;
        final float[] longAccuracy;
        final byte[] seenLong;

        Loader(BenchmarkManifest manifest) {
            space = Manifests.searchSpace(manifest);
            ordinals = ClassOrdinals.of(space);
            parameters = new long[ordinals.count()];
            multiplyAdds = new long[ordinals.count()];
            longAccuracy = new float[ConfigIndex.size(space)];
            seenLong = new byte[ConfigIndex.size(space)];
            epochs = manifest.getShortEpochs();
            longEpochs = manifest.getLongEpochs();
            learningRates = manifest.getLearningRates().stream().mapToDouble(Double::doubleValue).toArray();
            batchSizes = manifest.getBatchSizes().stream().mapToInt(Integer::intValue).toArray();
            seeds = manifest.getSeeds().stream().mapToInt(Integer::intValue).toArray();
            hps = learningRates.length * batchSizes.length;
            Arrays.fill(hpOf, -1);
            for (int l = 0; l < learningRates.length; l++) {
                for (int b = 0; b < batchSizes.length; b++) {
                    hpOf[HpGrid.lrIndex(learningRates[l]) * HpGrid.BATCH_SIZES.size()
                            + HpGrid.batchIndex(batchSizes[b])] = l * batchSizes.length + b;
                }
            }
            slots = ordinals.count() * hps * seeds.length;
            series = new float[Metric.VALUES.length][slots * epochs];
            totalTrain = new float[slots];
            totalTrainValid = new float[slots];
            totalTest = new float[slots];
            epochsCompleted = new byte[slots];
            seen = new byte[slots];
            Arrays.fill(longAccuracy, Float.NaN);
        }

        void run(RunRow r) {
            int hp = hp(r.learningRate(), r.batchSize());
            int s = seed(r.seed());
            if (r.epochs() != epochs) {
                throw new IllegalArgumentException("epochs: is " + r.epochs() + ", expected " + epochs);
            }
            if (r.epochsCompleted() < 0 || r.epochsCompleted() > epochs) {
                throw new IllegalArgumentException("epochsCompleted: is " + r.epochsCompleted() + ", expected 0.."
                        + epochs);
            }
            for (Metric m : Metric.VALUES) {
                if (r.length(m) != epochs) {
                    throw new IllegalArgumentException(m.field() + ": has " + r.length(m) + " values, expected "
                            + epochs + " (one per epoch)");
                }
                if (m.isAccuracy() || m.isTime()) {
                    for (int e = 0; e < epochs; e++) {
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
            int cls = ordinals.ordinal(r.cell());
            int slot = (cls * hps + hp) * seeds.length + s;
            if (seen[slot] != 0) {
                throw new IllegalArgumentException("is a second row for its class × lr × batch size × seed; "
                        + "expected exactly one");
            }
            seen[slot] = 1;
            for (Metric m : Metric.VALUES) {
                r.copy(m, series[m.ordinal()], slot * epochs);
            }
            totalTrain[slot] = r.totalTrainSeconds();
            totalTrainValid[slot] = r.totalTrainValidSeconds();
            totalTest[slot] = r.totalTestSeconds();
            epochsCompleted[slot] = (byte) r.epochsCompleted();
            parameters[cls] = r.parameters();
            multiplyAdds[cls] = r.multiplyAdds();
        }

        void prediction(PredictionRow p) {
            int index = p.cell() * GRID_HPS + HpGrid.lrIndex(p.learningRate()) * HpGrid.BATCH_SIZES.size()
                    + HpGrid.batchIndex(p.batchSize());
            if (p.epochs() != longEpochs) {
                throw new IllegalArgumentException("epochs: is " + p.epochs() + ", expected " + longEpochs);
            }
            requireValue("meanTestAccuracy", Metric.TEST_ACCURACY, p.meanTestAccuracy());
            if (seenLong[index] != 0) {
                throw new IllegalArgumentException("is a second prediction for its configuration; expected exactly one");
            }
            seenLong[index] = 1;
            longAccuracy[index] = p.meanTestAccuracy();
        }

        /** The HP pair's position in the benchmark's grid, without boxing (it runs for every row). */
        private int hp(double lr, int batch) {
            int l = 0;
            while (l < learningRates.length && learningRates[l] != lr) {
                l++;
            }
            int b = 0;
            while (b < batchSizes.length && batchSizes[b] != batch) {
                b++;
            }
            if (l == learningRates.length || b == batchSizes.length) {
                // the protocol grid's message for values off it, else the benchmark's
                HpGrid.lrIndex(lr);
                HpGrid.batchIndex(batch);
                throw new IllegalArgumentException("learning rate " + lr + " × batch size " + batch + " is not in the "
                        + "manifest's grid (learningRates " + Arrays.toString(learningRates) + ", batchSizes "
                        + Arrays.toString(batchSizes) + ")");
            }
            return l * batchSizes.length + b;
        }

        private int seed(int seed) {
            for (int i = 0; i < seeds.length; i++) {
                if (seeds[i] == seed) {
                    return i;
                }
            }
            HpGrid.requireSeed(seed);
            throw new IllegalArgumentException("seed " + seed + " is not in the manifest's seeds "
                    + Arrays.toString(seeds));
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

        /** Format 1: every slot and configuration must have been read; a miss names the first few keys. */
        void requireComplete(Path directory) {
            List<String> missing = new ArrayList<>();
            int count = 0;
            for (int slot = 0; slot < slots; slot++) {
                if (seen[slot] == 0) {
                    if (count++ < 5) {
                        int row = slot / seeds.length;
                        int hp = row % hps;
                        missing.add(Objects.toString(ConfigIndex.configuration(space,
                                representative(row / hps) * GRID_HPS + hp)) + " seed=" + seeds[slot % seeds.length]);
                    }
                }
            }
            if (count > 0) {
                throw new IllegalArgumentException("benchmark " + directory + ": " + BenchmarkLayout.runsTable(epochs)
                        + " has no row for " + count + " of the " + slots + " class × lr × batch size × seed keys "
                        + "(or holds another key twice), e.g. " + String.join("; ", missing));
            }
            for (int index = 0; index < seenLong.length; index++) {
                if (seenLong[index] == 0) {
                    count++;
                    if (missing.size() < 5) {
                        missing.add(ConfigIndex.configuration(space, index).toString());
                    }
                }
            }
            if (count > 0) {
                throw new IllegalArgumentException("benchmark " + directory + ": "
                        + BenchmarkLayout.predictionsTable(longEpochs) + " has no row for " + count + " of the "
                        + seenLong.length + " configurations (or holds another twice), e.g. "
                        + String.join("; ", missing));
            }
        }

        private int representative(int classOrdinal) {
            return space.classes().get(classOrdinal).representative().index();
        }
    }
}
