package org.nashpo.spark.aggregate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.BenchmarkTables;
import org.nashpo.core.format.ManifestProvenance;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkClass;
import org.nashpo.schema.BenchmarkCompleteness;
import org.nashpo.schema.BenchmarkConfiguration;
import org.nashpo.schema.BenchmarkCounts;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.spark.construct.ConstructPlan;
import org.nashpo.worker.io.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Turns a construct output into a benchmark directory of format 2: every run file under
 * {@code runs/} is read on the executors, unreadable files and invalid records are skipped and
 * listed, one record per run key is kept ({@link RunEntry#preferred}), failures are left out, and
 * the rows ({@code BenchmarkRuns.fromTrainingRun}) are written as the runs tables of the short and
 * (if any) long schedule, with the classes and configurations tables and a manifest. The directory
 * is published whole by renaming a staging directory. The runs of several data sets (one output may hold
 * them all: their protocols differ) are aggregated one data set at a time ({@link AggregatePlan#dataset}), each
 * into its subdirectory of a directory of data sets. Of a data set's runs, those of one protocol are: this
 * version's recipe's by default, another's when asked ({@link AggregatePlan#protocol}); the runs of the others
 * (an output built before a recipe change holds them) are left out, counted per protocol and logged.
 */
public final class AggregateJob {

    private static final Logger LOG = LoggerFactory.getLogger(AggregateJob.class);

    /** Rows per part file of a table. */
    private static final int ROWS_PER_PART = 100_000;
    /** Run files per reading task, at most (and at least 4 tasks per core). */
    private static final int FILES_PER_TASK = 5_000;
    /** Files a reading task reads at once. */
    private static final int READERS_PER_TASK = 4;
    private static final int READ_WINDOW = 64;

    private AggregateJob() {
    }

    /**
     * What aggregate did.
     *
     * @param read what it read
     * @param space the benchmark's space: its network family and operations in digit order
     * @param tables what it wrote
     * @param protocols the protocol aggregated and the runs of others left out
     * @param completeness per table and seed: expected, present, the missing keys
     */
    public record Summary(String runs, String out, Read read, Protocols protocols, Space space, Data data,
            Tables tables, List<Completeness> completeness, double seconds) {
        public Summary {
            completeness = List.copyOf(completeness);
        }
    }

    /**
     * @param files run files read
     * @param records records of the data set and protocol aggregated
     * @param invalid files and records skipped, each with the reason
     * @param duplicates records dropped because another record of the same key was kept
     * @param failed keys whose only records are failures (left out: to be trained again)
     * @param otherDatasets valid records of other data sets than the one aggregated, left out
     */
    public record Read(int files, long records, List<String> invalid, long duplicates, long failed,
            long otherDatasets) {
        public Read {
            invalid = List.copyOf(invalid);
        }
    }

    /**
     * The protocol whose runs the benchmark holds, and those of the output's other protocols (of the data set
     * aggregated) that it left out.
     *
     * @param id the protocol aggregated
     * @param todaysRecipe whether it is of this version's recipe (its records' network and data give its id today)
     * @param leftOut the other protocols, by id, with the runs (keys) of each left out
     */
    public record Protocols(String id, boolean todaysRecipe, List<ProtocolRuns> leftOut) {
        public Protocols {
            leftOut = List.copyOf(leftOut);
        }
    }

    /** A protocol's runs (keys, failed ones included) in the output, and whether it is of this version's recipe. */
    public record ProtocolRuns(String id, long runs, boolean todaysRecipe) {
    }

    /** The benchmark's space: the records' network family and the operations their cellcodes' digits name. */
    public record Space(String family, List<String> operations) {
        public Space {
            operations = List.copyOf(operations);
        }
    }

    /** The data set the benchmark's runs were trained on and how it was divided (spec names). */
    public record Data(String dataset, String split) {
    }

    /**
     * @param shortRuns rows of {@code runs-S}
     * @param longRuns rows of {@code runs-L}
     * @param divergedRuns rows of {@code runs-S} whose run diverged
     * @param classes rows of {@code classes}
     * @param configurations rows of {@code configurations}
     */
    public record Tables(int shortEpochs, int longEpochs, long shortRuns, long longRuns, long divergedRuns,
            int classes, long configurations) {
    }

    /** One completeness entry of the manifest, with the count of missing keys rather than the list. */
    public record Completeness(String table, int seed, long expected, long present, long diverged, List<String> missing) {
        public Completeness {
            missing = List.copyOf(missing);
        }

        static Completeness of(BenchmarkCompleteness c) {
            return new Completeness(c.getTable(), c.getSeed(), c.getExpected(), c.getPresent(), c.getDiverged(),
                    c.getMissing());
        }
    }

    public static Summary run(JavaSparkContext sc, AggregatePlan plan) {
        return run(sc, plan, ROWS_PER_PART);
    }

    /** {@link #run(JavaSparkContext, AggregatePlan)} with parts of at most {@code rowsPerPart} rows (tests). */
    static Summary run(JavaSparkContext sc, AggregatePlan plan, int rowsPerPart) {
        long start = System.nanoTime();
        Configuration conf = ConstructPlan.hadoopConfiguration(plan.hadoopProperties());
        List<String> files = runFiles(plan.runs(), conf);
        StagedDirectory out = StagedDirectory.begin(target(plan, conf), conf, plan.overwrite(),
                StagedDirectory.Replaceable.BENCHMARK, "benchmark");
        sc.setJobGroup("nashpo-aggregate", "aggregate " + files.size() + " run files into " + plan.out(), false);
        try {
            Summary summary = aggregate(sc, plan, files, out, rowsPerPart, start);
            out.publish();
            return summary;
        } catch (RuntimeException e) {
            out.abandon();
            throw e;
        } finally {
            sc.clearJobGroup();
        }
    }

    /**
     * Where the benchmark goes: {@code out}, or for one data set of several {@code out/NAME}, in a directory of
     * data sets that must not itself be a benchmark.
     */
    private static URI target(AggregatePlan plan, Configuration conf) {
        if (plan.dataset() == null) {
            return URI.create(plan.out());
        }
        Path parent = new Path(plan.out());
        try {
            FileSystem fs = parent.getFileSystem(conf);
            if (fs.exists(new Path(parent, BenchmarkLayout.MANIFEST))) {
                throw new IllegalArgumentException("out " + plan.out() + ": is the benchmark of one data set (it holds "
                        + BenchmarkLayout.MANIFEST + "); --dataset writes " + plan.dataset() + "'s benchmark into a "
                        + "directory of data sets, as " + plan.out() + "/" + plan.dataset() + ": choose another --out");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("checking " + plan.out() + ": " + e.getMessage(), e);
        }
        return new Path(parent, BenchmarkLayout.datasetDirectory(Dataset.bySpecName(plan.dataset()).orElseThrow()))
                .toUri();
    }

    /**
     * Reads every run file once, on the executors, into one shuffle that keeps one entry per run key
     * and brings every run of a cell into one partition. Two jobs then read that shuffle's output
     * (Spark does not read the files again): one gives the driver a row-less description of each
     * kept entry (it decides the grid, completeness, classes and where each part file starts); the
     * other writes every part file of every table in one sorted shuffle.
     */
    private static Summary aggregate(JavaSparkContext sc, AggregatePlan plan, List<String> files, StagedDirectory out,
            int rowsPerPart, long start) {
        Map<String, String> props = plan.hadoopProperties();
        String runsDir = runsDirectory(plan.runs()).toString();
        int slices = Math.max(Math.min(files.size(), 4 * sc.defaultParallelism()),
                (files.size() + FILES_PER_TASK - 1) / FILES_PER_TASK);
        JavaPairRDD<String, byte[]> kept = sc.parallelize(files, slices)
                .mapPartitionsToPair(names -> new FileReader(props, runsDir, names))
                // duplicates are rare: merged where they meet, after the shuffle, not first in each reading task
                .combineByKey(entry -> entry, AggregateJob::preferred, AggregateJob::preferred,
                        new RunEntry.ByCell(slices), false, null);
        List<RunEntry> entries = new ArrayList<>();
        for (byte[] blob : kept.values().mapPartitions(AggregateJob::describe).collect()) {
            entries.addAll(undescribe(blob));
        }
        return write(plan, files.size(), entries, kept.values(), out, rowsPerPart, start);
    }

    private static byte[] preferred(byte[] a, byte[] b) {
        return RunEntry.preferred(RunEntry.decode(a), RunEntry.decode(b)).encode();
    }

    /**
     * From the kept entries to the published tables, step by step: which records are results, the grid and space
     * they span, the runs and configurations tables with their completeness, the classes table, the manifest.
     */
    private static Summary write(AggregatePlan plan, int fileCount, List<RunEntry> entries, JavaRDD<byte[]> kept,
            StagedDirectory out, int rowsPerPart, long start) {
        Results results = Results.of(plan, fileCount, entries);
        for (ProtocolRuns p : results.protocols().leftOut()) {
            LOG.warn("aggregate: left out {} runs of protocol {} ({}); the benchmark holds protocol {}'s ({}){}",
                    p.runs(), p.id(), p.todaysRecipe() ? "this version's recipe" : "an older recipe",
                    results.protocols().id(), results.protocols().todaysRecipe() ? "this version's recipe"
                            : "an older recipe", plan.protocol() == null ? "; --protocol " + p.id() + " takes them"
                            : "");
        }
        Grid grid = Grid.of(plan, results.kept());
        Map<String, String> props = plan.hadoopProperties();
        String root = out.staging().toString();
        Written written = writeRunTables(kept, results.kept(), grid, props, root, rowsPerPart);
        List<BenchmarkFile> files = new ArrayList<>(written.files());
        Map<String, RunEntry> classRuns = classRuns(results.kept());
        files.add(writeClasses(classRuns, grid, props, root));
        BenchmarkManifest manifest = manifest(plan, results, grid, written, files);
        writeManifest(out, manifest);
        long diverged = manifest.getCounts().getDivergedRuns();
        return new Summary(plan.runs(), out.target().toString(), results.read(), results.protocols(),
                new Space(grid.family().specName(), grid.space().operationNames()),
                new Data(grid.dataset().specName(), grid.split().specName()),
                new Tables(grid.shortEpochs(), grid.longEpochs(), written.shortRuns(), written.longRuns(), diverged,
                        classRuns.size(), written.configurations()),
                written.completeness().stream().map(Completeness::of).toList(), (System.nanoTime() - start) / 1e9);
    }

    /** The valid, non-failed records to aggregate (one per key), and what was read and left out. */
    private record Results(Read read, Protocols protocols, List<RunEntry> kept) {
        static Results of(AggregatePlan plan, int fileCount, List<RunEntry> entries) {
            List<String> invalid = entries.stream().filter(e -> !e.isValid()).map(e -> e.invalid).sorted().toList();
            List<RunEntry> valid = entries.stream().filter(RunEntry::isValid).toList();
            List<RunEntry> ofDataset = valid.stream().filter(e -> e.isOf(plan.dataset())).toList();
            long others = valid.stream().filter(e -> !e.isOf(plan.dataset())).mapToLong(e -> e.records).sum();
            TreeSet<String> datasets = new TreeSet<>();
            ofDataset.forEach(e -> datasets.add(e.dataset));
            if (datasets.size() > 1 && plan.protocol() == null) {
                throw new IllegalArgumentException(plan.runs() + ": holds runs of the data sets " + datasets + "; a "
                        + "benchmark holds the runs of one: aggregate each with --dataset NAME, into a directory of "
                        + "data sets (" + plan.out() + "/NAME)");
            }
            Map<String, ProtocolRuns> byProtocol = byProtocol(ofDataset);
            String protocol = ofDataset.isEmpty() ? null : chosen(plan, byProtocol);
            List<RunEntry> keys = ofDataset.stream().filter(e -> e.isOfProtocol(protocol)).toList();
            long records = keys.stream().mapToLong(e -> e.records).sum();
            List<RunEntry> results = keys.stream().filter(e -> !e.failed()).toList();
            long failed = keys.size() - results.size();
            if (results.isEmpty()) {
                throw new IllegalArgumentException(plan.runs() + ": holds no completed or diverged run"
                        + (plan.dataset() == null ? "" : " of " + plan.dataset())
                        + (protocol == null ? "" : " of protocol " + protocol) + " (" + fileCount + " files, "
                        + invalid.size() + " invalid, " + failed + " failed keys"
                        + (plan.dataset() == null ? "" : ", " + others + " records of other data sets")
                        + "); nothing to aggregate");
            }
            List<ProtocolRuns> leftOut = byProtocol.values().stream().filter(p -> !p.id().equals(protocol)).toList();
            return new Results(new Read(fileCount, records, invalid, records - keys.size(), failed, others),
                    new Protocols(protocol, byProtocol.get(protocol).todaysRecipe(), leftOut), results);
        }

        /** The runs of each protocol, by id. */
        private static Map<String, ProtocolRuns> byProtocol(List<RunEntry> entries) {
            Map<String, ProtocolRuns> byProtocol = new TreeMap<>();
            for (RunEntry e : entries) {
                byProtocol.merge(e.protocolId, new ProtocolRuns(e.protocolId, 1, e.todaysRecipe),
                        (a, b) -> new ProtocolRuns(a.id(), a.runs() + b.runs(), a.todaysRecipe() || b.todaysRecipe()));
            }
            return byProtocol;
        }

        /**
         * The protocol to aggregate: the one asked for; else the only one; else the only one of this version's
         * recipe. Anything else is an error listing the protocols with their runs.
         */
        private static String chosen(AggregatePlan plan, Map<String, ProtocolRuns> byProtocol) {
            String dataset = plan.dataset() == null ? "" : " of " + plan.dataset();
            if (plan.protocol() != null) {
                if (!byProtocol.containsKey(plan.protocol())) {
                    throw new IllegalArgumentException("protocol " + plan.protocol() + ": " + plan.runs()
                            + " holds no run of it" + dataset + "; it holds " + listing(byProtocol));
                }
                return plan.protocol();
            }
            if (byProtocol.size() == 1) {
                return byProtocol.keySet().iterator().next();
            }
            List<String> today = byProtocol.values().stream().filter(ProtocolRuns::todaysRecipe).map(ProtocolRuns::id)
                    .toList();
            if (today.size() == 1) {
                return today.get(0);
            }
            throw new IllegalArgumentException(plan.runs() + ": holds runs" + dataset + " of " + byProtocol.size()
                    + " protocols, " + listing(byProtocol) + ", and " + (today.isEmpty()
                            ? "none of them is of this version's recipe"
                            : today.size() + " of them are of this version's recipe (other networks or data)")
                    + "; a benchmark holds the runs of one protocol: choose it with --protocol ID");
        }

        private static String listing(Map<String, ProtocolRuns> byProtocol) {
            return byProtocol.values().stream().map(p -> p.id() + " (" + p.runs() + " runs, "
                    + (p.todaysRecipe() ? "this version's recipe" : "an older recipe") + ")")
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    /**
     * What the results span: one protocol, a short and at most one long schedule, the learning rates, batch
     * sizes and seeds present, and one space: the records' spaces must all be parts of one of them (a space
     * extended by an operation holds the runs of the space it extends), whose digits the benchmark's
     * cellcodes use.
     */
    private record Grid(String protocol, int shortEpochs, int longEpochs, List<Double> lrs, List<Integer> batches,
            List<Integer> seeds, SearchSpace space, String spaceOperations, NetworkFamily family, Dataset dataset,
            DataSplit split) implements java.io.Serializable {

        static Grid of(AggregatePlan plan, List<RunEntry> results) {
            TreeSet<String> protocols = new TreeSet<>();
            TreeSet<Integer> schedules = new TreeSet<>();
            TreeSet<Double> lrs = new TreeSet<>();
            TreeSet<Integer> batches = new TreeSet<>();
            TreeSet<Integer> seeds = new TreeSet<>();
            TreeSet<String> spaces = new TreeSet<>();
            TreeSet<String> families = new TreeSet<>();
            TreeSet<String> datasets = new TreeSet<>();
            TreeSet<String> splits = new TreeSet<>();
            for (RunEntry k : results) {
                datasets.add(k.dataset);
                splits.add(k.split);
                protocols.add(k.protocolId);
                schedules.add(k.epochs);
                lrs.add(k.learningRate);
                batches.add(k.batchSize);
                seeds.add(k.seed);
                spaces.add(k.operations);
                families.add(k.family);
            }
            if (schedules.size() > 2) {
                throw new IllegalArgumentException(plan.runs() + ": holds runs of " + schedules.size()
                        + " schedule lengths " + schedules + "; a benchmark has a short and at most one long schedule");
            }
            if (families.size() > 1) {
                throw new IllegalArgumentException(plan.runs() + ": holds runs of the network families " + families
                        + "; a benchmark holds the runs of one");
            }
            List<SearchSpace> recorded = spaces.stream().map(o -> SearchSpace.ofNames(List.of(o.split(",")))).toList();
            SearchSpace space = recorded.stream().filter(s -> recorded.stream().allMatch(s::containsAll)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(plan.runs() + ": holds runs of the spaces "
                            + recorded + ", none of which holds the others' operations; a benchmark has one space "
                            + "(build the runs of a space that extends them all into one output)"));
            NetworkFamily family = NetworkFamily.bySpecName(families.first()).orElseThrow();
            // one protocol: one data set and one split
            return new Grid(protocols.first(), schedules.first(), schedules.size() == 2 ? schedules.last() : 0,
                    List.copyOf(lrs), List.copyOf(batches), List.copyOf(seeds), space,
                    String.join(",", space.operationNames()), family,
                    Dataset.bySpecName(datasets.first()).orElseThrow(), DataSplit.bySpecName(splits.first())
                            .orElseThrow());
        }

        int[] schedules() {
            return longEpochs == 0 ? new int[] {shortEpochs} : new int[] {shortEpochs, longEpochs};
        }
    }

    /** The runs and configurations tables' files, their row counts and the runs tables' completeness. */
    private record Written(List<BenchmarkFile> files, long shortRuns, long longRuns, long configurations,
            List<BenchmarkCompleteness> completeness) {
    }

    /**
     * The tables written by one sorted shuffle: runs-S, runs-L and configurations, each cut into parts of
     * {@code rowsPerPart} rows, and the runs tables' completeness over the grid.
     */
    private static Written writeRunTables(JavaRDD<byte[]> kept, List<RunEntry> results, Grid grid,
            Map<String, String> props, String root, int rowsPerPart) {
        List<BenchmarkCompleteness> completeness = new ArrayList<>();
        long[] rows = new long[2];
        int[] schedules = grid.schedules();
        List<TableParts> tables = new ArrayList<>();
        for (int i = 0; i < schedules.length; i++) {
            int epochs = schedules[i];
            String table = BenchmarkLayout.runsTable(epochs);
            List<RunEntry> tableKeys = results.stream().filter(k -> k.epochs == epochs).toList();
            rows[i] = tableKeys.size();
            tables.add(TableParts.of(table, BenchmarkRun.getClassSchema().toString(),
                    tableKeys.stream().map(RunEntry::sortKey), rowsPerPart));
            completeness.addAll(BenchmarkTables.completeness(grid.space(), table, epochs, grid.lrs(), grid.batches(),
                    grid.seeds(), tableKeys.stream().map(k -> new BenchmarkTables.Present(k.cellClassId,
                            k.learningRate, k.batchSize, k.seed, k.diverged())).toList()));
        }
        TableParts configurationParts = TableParts.of(BenchmarkLayout.CONFIGURATIONS_TABLE,
                BenchmarkConfiguration.getClassSchema().toString(),
                results.stream().map(RunEntry::configurationSortKey).distinct(), rowsPerPart);
        tables.add(configurationParts);
        List<BenchmarkFile> files = writeTables(kept, tables, grid, props, root);
        return new Written(files, rows[0], rows[1], configurationParts.rows(), completeness);
    }

    /** Per class, the run its row is built from: of the shortest schedule, the one that sorts first. */
    private static Map<String, RunEntry> classRuns(List<RunEntry> results) {
        Map<String, RunEntry> classRuns = new TreeMap<>();
        for (RunEntry r : results) {
            classRuns.merge(r.cellcode, r, (a, b) -> a.epochs < b.epochs
                    || (a.epochs == b.epochs && a.sortKey().compareTo(b.sortKey()) <= 0) ? a : b);
        }
        return classRuns;
    }

    /** The classes table: few rows (one per class), built on the driver. */
    private static BenchmarkFile writeClasses(Map<String, RunEntry> classRuns, Grid grid, Map<String, String> props,
            String root) {
        List<byte[]> classRows = new ArrayList<>();
        for (RunEntry r : classRuns.values()) {
            classRows.add(TableFiles.encode(BenchmarkTables.classRow(grid.space(),
                    grid.space().ofStableCode(r.cellcode).toString(), r.parameters, r.multiplyAdds)));
        }
        return TableFiles.writePart(props, root, BenchmarkLayout.CLASSES_TABLE, 0,
                BenchmarkClass.getClassSchema().toString(), grid.protocol(), classRows.iterator());
    }

    private static BenchmarkManifest manifest(AggregatePlan plan, Results results, Grid grid, Written written,
            List<BenchmarkFile> files) {
        long diverged = results.kept().stream().filter(k -> k.epochs == grid.shortEpochs() && k.diverged()).count();
        TreeSet<String> shortClasses = new TreeSet<>();
        results.kept().stream().filter(k -> k.epochs == grid.shortEpochs()).forEach(k -> shortClasses.add(k.cellClassId));
        long answerable = shortClasses.stream().mapToLong(id -> grid.space().classById(id).size()).sum();
        Read read = results.read();
        return BenchmarkManifest.newBuilder()
                .setFormatVersion(BenchmarkLayout.FORMAT_VERSION)
                .setProtocolId(grid.protocol())
                .setSource("aggregate")
                .setCreatedAt(Instant.now().toString())
                .setShortEpochs(grid.shortEpochs())
                .setLongEpochs(grid.longEpochs())
                .setLearningRates(grid.lrs())
                .setBatchSizes(grid.batches())
                .setSeeds(grid.seeds())
                .setCounts(new BenchmarkCounts(shortClasses.size(),
                        (int) (answerable * grid.lrs().size() * grid.batches().size()), written.shortRuns(), diverged,
                        0L))
                .setFiles(files)
                .setProvenance(provenance(plan, read, results.protocols()))
                .setCompleteness(written.completeness())
                .setSpace(Manifests.space(grid.space(), grid.family()))
                .setData(Manifests.data(grid.dataset(), grid.split()))
                .build();
    }

    /**
     * One table's part files: part {@code p} holds the rows whose sort key is at least
     * {@code starts[p - 1]} and below {@code starts[p]}, exactly {@code rowsPerPart} of them but the
     * last, so the same runs give the same files however Spark partitions them.
     */
    record TableParts(String table, String schema, long rows, String[] starts) implements java.io.Serializable {
        static TableParts of(String table, String schema, java.util.stream.Stream<String> sortKeys, int rowsPerPart) {
            String[] sorted = sortKeys.sorted().toArray(String[]::new);
            List<String> starts = new ArrayList<>();
            for (int i = rowsPerPart; i < sorted.length; i += rowsPerPart) {
                starts.add(sorted[i]);
            }
            return new TableParts(table, schema, sorted.length, starts.toArray(String[]::new));
        }

        int parts() {
            return rows == 0 ? 0 : starts.length + 1;
        }

        int part(String sortKey) {
            int at = java.util.Arrays.binarySearch(starts, sortKey);
            return at >= 0 ? at + 1 : -at - 1;
        }
    }

    /** Sends each row to its table's part: partitions are the tables' parts, in the manifest's order. */
    private static final class ToPart extends org.apache.spark.Partitioner {
        private static final long serialVersionUID = 1L;
        private final List<TableParts> tables;
        private final int[] offsets;

        ToPart(List<TableParts> tables) {
            this.tables = List.copyOf(tables);
            this.offsets = new int[tables.size() + 1];
            for (int t = 0; t < tables.size(); t++) {
                offsets[t + 1] = offsets[t] + tables.get(t).parts();
            }
        }

        @Override
        public int numPartitions() {
            return Math.max(1, offsets[tables.size()]);
        }

        @Override
        public int getPartition(Object key) {
            String k = (String) key;
            int t = k.charAt(0) - '0';
            return offsets[t] + tables.get(t).part(k.substring(1));
        }

        /** The index of the table whose parts include {@code partition}. */
        int table(int partition) {
            int t = 0;
            while (offsets[t + 1] <= partition) {
                t++;
            }
            return t;
        }
    }

    /**
     * Writes the tables' part files on the executors. Each partition of {@code kept} holds every run
     * of its cells, so the configuration rows (means over seeds) are built where their runs are; every
     * row is keyed by its table's index (one digit) and sort key, and lands, sorted, in its part.
     */
    private static List<BenchmarkFile> writeTables(JavaRDD<byte[]> kept, List<TableParts> tables, Grid grid,
            Map<String, String> props, String root) {
        ToPart toPart = new ToPart(tables);
        int configurations = tables.size() - 1;
        String salt = grid.protocol();
        return kept.mapPartitionsToPair(it -> tableRows(it, grid, configurations).iterator())
                .repartitionAndSortWithinPartitions(toPart)
                .mapPartitionsWithIndex((partition, it) -> {
                    if (!it.hasNext()) {
                        return java.util.Collections.<BenchmarkFile>emptyIterator();
                    }
                    int t = toPart.table(partition);
                    TableParts table = tables.get(t);
                    Iterator<byte[]> rows = new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public byte[] next() {
                            return it.next()._2();
                        }
                    };
                    return List.of(TableFiles.writePart(props, root, table.table(), partition - toPart.offsets[t],
                            table.schema(), salt, rows)).iterator();
                }, true)
                .collect();
    }

    /**
     * The rows of one partition of kept entries: its runs in their runs table, its configurations; a row of a
     * record of another space than the benchmark's gets the benchmark's digits.
     */
    private static List<Tuple2<String, byte[]>> tableRows(Iterator<byte[]> entries, Grid grid,
            int configurationsTable) {
        List<Tuple2<String, byte[]>> rows = new ArrayList<>();
        Map<String, List<byte[]>> configurations = new HashMap<>();
        while (entries.hasNext()) {
            RunEntry e = RunEntry.decode(entries.next());
            if (!e.isValid() || e.failed() || !e.isOf(grid.dataset().specName()) || !e.isOfProtocol(grid.protocol())) {
                continue;
            }
            byte[] row = e.rowIn(grid.space(), grid.spaceOperations());
            rows.add(new Tuple2<>((e.epochs == grid.shortEpochs() ? "0" : "1") + e.sortKey(), row));
            configurations.computeIfAbsent(e.configurationSortKey(), k -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<String, List<byte[]>> c : configurations.entrySet()) {
            List<BenchmarkRun> seedRuns = new ArrayList<>();
            for (byte[] row : c.getValue()) {
                seedRuns.add(TableFiles.decode(row, BenchmarkRun.class));
            }
            seedRuns.sort(Comparator.comparingInt(BenchmarkRun::getSeed));
            rows.add(new Tuple2<>(configurationsTable + c.getKey(),
                    TableFiles.encode(BenchmarkTables.configuration(seedRuns))));
        }
        return rows;
    }

    /** The kept entries of one partition without their rows, as one array: what the driver collects. */
    private static Iterator<byte[]> describe(Iterator<byte[]> entries) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            while (entries.hasNext()) {
                byte[] e = RunEntry.decodeWithoutRow(entries.next()).encode();
                out.writeInt(e.length);
                out.write(e);
            }
        }
        return List.of(bytes.toByteArray()).iterator();
    }

    private static List<RunEntry> undescribe(byte[] blob) {
        List<RunEntry> entries = new ArrayList<>();
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(blob);
        while (in.hasRemaining()) {
            byte[] e = new byte[in.getInt()];
            in.get(e);
            entries.add(RunEntry.decode(e));
        }
        return entries;
    }

    /**
     * Reads the run files of one task, {@link #READERS_PER_TASK} at a time (a file's latency, large
     * on HDFS or S3, is waited for in parallel), with one Hadoop configuration for the task: building
     * one parses Hadoop's XML defaults, which per file took most of aggregate's time. Entries come
     * out in file order, a window of files at a time.
     */
    private static final class FileReader implements Iterator<Tuple2<String, byte[]>> {
        private final Iterator<String> names;
        private final FileSystem fs;
        private final Path runs;
        private final java.util.concurrent.ExecutorService pool;
        private Iterator<Tuple2<String, byte[]>> window = java.util.Collections.emptyIterator();

        FileReader(Map<String, String> props, String runsDir, Iterator<String> names) throws java.io.IOException {
            this.names = names;
            this.runs = new Path(runsDir);
            this.fs = runs.getFileSystem(ConstructPlan.hadoopConfiguration(props));
            this.pool = java.util.concurrent.Executors.newFixedThreadPool(READERS_PER_TASK, r -> {
                Thread t = new Thread(r, "nashpo-aggregate-reader");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public boolean hasNext() {
            while (!window.hasNext()) {
                if (!names.hasNext()) {
                    pool.shutdown();
                    return false;
                }
                window = nextWindow();
            }
            return true;
        }

        @Override
        public Tuple2<String, byte[]> next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return window.next();
        }

        private Iterator<Tuple2<String, byte[]>> nextWindow() {
            List<java.util.concurrent.Future<List<Tuple2<String, byte[]>>>> reads = new ArrayList<>();
            for (int i = 0; i < READ_WINDOW && names.hasNext(); i++) {
                String name = names.next();
                reads.add(pool.submit(() -> RunEntry.read(fs, runs, name)));
            }
            List<Tuple2<String, byte[]>> entries = new ArrayList<>();
            try {
                for (var read : reads) {
                    entries.addAll(read.get());
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading run files", e);
            } catch (java.util.concurrent.ExecutionException e) {
                pool.shutdownNow();
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
            return entries.iterator();
        }
    }

    private static void writeManifest(StagedDirectory out, BenchmarkManifest manifest) {
        FileSystem fs = out.fileSystem();
        Path temporary = new Path(out.staging(), "." + BenchmarkLayout.MANIFEST + ".tmp");
        try {
            try (OutputStream o = fs.create(temporary, false)) {
                Manifests.write(manifest, o);
            }
            if (!fs.rename(temporary, new Path(out.staging(), BenchmarkLayout.MANIFEST))) {
                throw new IOException("could not rename " + temporary + " to " + BenchmarkLayout.MANIFEST);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the manifest in " + out.staging() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> provenance(AggregatePlan plan, Read read, Protocols protocols) {
        Map<String, String> p = new TreeMap<>(ManifestProvenance.ofThisJvm());
        p.put("runs", plan.runs());
        p.put("runFiles", Integer.toString(read.files()));
        p.put("runRecords", Long.toString(read.records()));
        p.put("invalidSkipped", Integer.toString(read.invalid().size()));
        p.put("duplicatesDropped", Long.toString(read.duplicates()));
        p.put("failedKeysLeftOut", Long.toString(read.failed()));
        if (plan.dataset() != null) {
            p.put("dataset", plan.dataset());
            p.put("otherDatasetsLeftOut", Long.toString(read.otherDatasets()));
        }
        p.put("protocolRecipe", protocols.todaysRecipe() ? "this version's" : "older");
        if (!protocols.leftOut().isEmpty()) {
            // protocol id: runs, for each protocol of the output whose runs this benchmark does not hold
            p.put("otherProtocolsLeftOut", protocols.leftOut().stream().map(o -> o.id() + ": " + o.runs())
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        return p;
    }

    /** The {@code runs/} directory of a construct output. */
    private static Path runsDirectory(String output) {
        return RunStore.runsDirectory(URI.create(output));
    }

    /** The names of the run files of a construct output ({@link RunStore#runFileNames}). */
    static List<String> runFiles(String output, Configuration conf) {
        Path runs = runsDirectory(output);
        try {
            if (!runs.getFileSystem(conf).exists(runs)) {
                throw new IllegalArgumentException("runs " + output + ": has no " + RunStore.RUNS + "/ directory; "
                        + "expected the output of `nashpo construct` (runs/<run id>.avro)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + runs + ": " + e.getMessage(), e);
        }
        List<String> files = new RunStore(URI.create(output), conf).runFileNames();
        if (files.isEmpty()) {
            throw new IllegalArgumentException("runs " + output + ": " + runs + " holds no run files");
        }
        return files;
    }
}
