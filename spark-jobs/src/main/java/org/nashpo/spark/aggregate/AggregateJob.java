package org.nashpo.spark.aggregate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nashpo.core.bench.BenchmarkLayout;
import org.nashpo.core.bench.BenchmarkTables;
import org.nashpo.core.bench.ManifestProvenance;
import org.nashpo.core.bench.Manifests;
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
import scala.Tuple2;

/**
 * Turns a construct output into a benchmark directory of format 2: every run file under
 * {@code runs/} is read on the executors, unreadable files and invalid records are skipped and
 * listed, one record per run key is kept ({@link ParsedRun#preferred}), failures are left out, and
 * the rows ({@code BenchmarkRuns.fromTrainingRun}) are written as the runs tables of the short and
 * (if any) long schedule, with the classes and configurations tables and a manifest. The directory
 * is published whole by renaming a staging directory.
 */
public final class AggregateJob {

    /** Rows per part file of a table. */
    private static final int ROWS_PER_PART = 100_000;

    private AggregateJob() {
    }

    /**
     * @param files run files read
     * @param records records in them
     * @param invalid files and records skipped, each with the reason
     * @param duplicates records dropped because another record of the same key was kept
     * @param failed keys whose only records are failures (left out: to be trained again)
     * @param shortRuns rows of {@code runs-S}
     * @param longRuns rows of {@code runs-L}
     * @param completeness per table and seed: expected, present, the missing keys
     */
    public record Summary(String runs, String out, int files, long records, List<String> invalid, long duplicates,
            long failed, int shortEpochs, int longEpochs, long shortRuns, long longRuns, long divergedRuns,
            int classes, long configurations, List<Completeness> completeness, double seconds) {
        public Summary {
            invalid = List.copyOf(invalid);
            completeness = List.copyOf(completeness);
        }
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
        long start = System.nanoTime();
        Configuration conf = ConstructPlan.hadoopConfiguration(plan.hadoopProperties());
        List<String> files = runFiles(plan.runs(), conf);
        StagedDirectory out = StagedDirectory.begin(URI.create(plan.out()), conf, plan.overwrite(),
                StagedDirectory.Replaceable.BENCHMARK, "benchmark");
        sc.setJobGroup("nashpo-aggregate", "aggregate " + files.size() + " run files into " + plan.out(), false);
        try {
            Summary summary = aggregate(sc, plan, files, out, start);
            out.publish();
            return summary;
        } catch (RuntimeException e) {
            out.abandon();
            throw e;
        } finally {
            sc.clearJobGroup();
        }
    }

    private static Summary aggregate(JavaSparkContext sc, AggregatePlan plan, List<String> files, StagedDirectory out,
            long start) {
        Map<String, String> props = plan.hadoopProperties();
        int slices = Math.max(1, Math.min(files.size(), 4 * sc.defaultParallelism()));
        JavaRDD<ParsedRun> parsed = sc.parallelize(files, slices)
                .flatMap(f -> ParsedRun.read(f, props).iterator())
                .cache();
        try {
            long records = parsed.filter(ParsedRun::isValid).count();
            List<String> invalid = new ArrayList<>(parsed.filter(p -> !p.isValid()).map(p -> p.invalid).collect());
            invalid.sort(Comparator.naturalOrder());
            JavaRDD<ParsedRun> kept = parsed.filter(ParsedRun::isValid)
                    .mapToPair(p -> new Tuple2<>(p.keyId, p))
                    .reduceByKey(ParsedRun::preferred)
                    .values()
                    .cache();
            try {
                return write(sc, plan, files.size(), records, invalid, kept, out, start);
            } finally {
                kept.unpersist(false);
            }
        } finally {
            parsed.unpersist(false);
        }
    }

    /** What the driver needs of each kept row: its key, nothing of its series. */
    private record Key(String protocolId, String cellClassId, String cellcode, double learningRate, int batchSize,
            int seed, int epochs, boolean failed, boolean diverged) implements java.io.Serializable {
    }

    private static Summary write(JavaSparkContext sc, AggregatePlan plan, int fileCount, long records,
            List<String> invalid, JavaRDD<ParsedRun> kept, StagedDirectory out, long start) {
        List<Key> keys = kept.map(p -> new Key(p.protocolId, p.cellClassId, p.cellcode, p.learningRate, p.batchSize,
                p.seed, p.epochs, p.failed, p.diverged)).collect();
        long duplicates = records - keys.size();
        List<Key> results = keys.stream().filter(k -> !k.failed()).toList();
        long failed = keys.size() - results.size();
        if (results.isEmpty()) {
            throw new IllegalArgumentException(plan.runs() + ": holds no completed or diverged run (" + fileCount
                    + " files, " + invalid.size() + " invalid, " + failed + " failed keys); nothing to aggregate");
        }
        TreeSet<String> protocols = new TreeSet<>();
        TreeSet<Integer> schedules = new TreeSet<>();
        TreeSet<Double> lrs = new TreeSet<>();
        TreeSet<Integer> batches = new TreeSet<>();
        TreeSet<Integer> seeds = new TreeSet<>();
        for (Key k : results) {
            protocols.add(k.protocolId());
            schedules.add(k.epochs());
            lrs.add(k.learningRate());
            batches.add(k.batchSize());
            seeds.add(k.seed());
        }
        if (protocols.size() > 1) {
            throw new IllegalArgumentException(plan.runs() + ": holds runs of " + protocols.size() + " protocols "
                    + protocols + "; a benchmark holds the runs of one protocol");
        }
        if (schedules.size() > 2) {
            throw new IllegalArgumentException(plan.runs() + ": holds runs of " + schedules.size() + " schedule lengths "
                    + schedules + "; a benchmark has a short and at most one long schedule");
        }
        int shortEpochs = schedules.first();
        int longEpochs = schedules.size() == 2 ? schedules.last() : 0;
        String protocol = protocols.first();
        Map<String, String> props = plan.hadoopProperties();
        String root = out.staging().toString();

        List<BenchmarkFile> manifestFiles = new ArrayList<>();
        List<BenchmarkCompleteness> completeness = new ArrayList<>();
        long[] rows = new long[2];
        int[] scheduleList = longEpochs == 0 ? new int[] {shortEpochs} : new int[] {shortEpochs, longEpochs};
        for (int i = 0; i < scheduleList.length; i++) {
            int epochs = scheduleList[i];
            String table = BenchmarkLayout.runsTable(epochs);
            JavaPairRDD<String, byte[]> tableRows = kept.filter(p -> !p.failed && p.epochs == epochs)
                    .mapToPair(p -> new Tuple2<>(p.sortKey(), p.row));
            List<Key> tableKeys = results.stream().filter(k -> k.epochs() == epochs).toList();
            rows[i] = tableKeys.size();
            manifestFiles.addAll(writeSorted(tableRows, tableKeys.size(), props, root, table,
                    BenchmarkRun.getClassSchema().toString(), protocol));
            completeness.addAll(BenchmarkTables.completeness(table, epochs, List.copyOf(lrs), List.copyOf(batches),
                    List.copyOf(seeds), tableKeys.stream().map(k -> new BenchmarkTables.Present(k.cellClassId(),
                            k.learningRate(), k.batchSize(), k.seed(), k.diverged())).toList()));
        }

        JavaPairRDD<String, byte[]> configurations = kept.filter(p -> !p.failed)
                .mapToPair(p -> new Tuple2<>(p.cellcode + '|' + p.learningRate + '|' + p.batchSize + '|' + p.epochs, p))
                .groupByKey()
                .mapToPair(group -> {
                    List<BenchmarkRun> seedRuns = new ArrayList<>();
                    String sortKey = null;
                    for (ParsedRun p : group._2()) {
                        seedRuns.add(TableFiles.decode(p.row, BenchmarkRun.class));
                        sortKey = String.format("%010d", p.epochs) + '|' + p.sortKey();
                    }
                    seedRuns.sort(Comparator.comparingInt(BenchmarkRun::getSeed));
                    BenchmarkConfiguration c = BenchmarkTables.configuration(seedRuns);
                    return new Tuple2<>(sortKey.substring(0, sortKey.lastIndexOf('|')), TableFiles.encode(c));
                });
        long configurationCount = results.stream()
                .map(k -> k.cellcode() + '|' + k.learningRate() + '|' + k.batchSize() + '|' + k.epochs())
                .distinct().count();
        manifestFiles.addAll(writeSorted(configurations, configurationCount, props, root,
                BenchmarkLayout.CONFIGURATIONS_TABLE, BenchmarkConfiguration.getClassSchema().toString(), protocol));

        // the classes are few (at most 1,011): built on the driver, from one row of each
        Map<String, BenchmarkRun> classRuns = new TreeMap<>();
        for (Tuple2<String, byte[]> t : kept.filter(p -> !p.failed)
                .mapToPair(p -> new Tuple2<>(p.cellcode, p))
                .reduceByKey((a, b) -> a.epochs < b.epochs || (a.epochs == b.epochs && a.sortKey().compareTo(b.sortKey()) <= 0) ? a : b)
                .mapToPair(t -> new Tuple2<>(t._1(), t._2().row))
                .collect()) {
            classRuns.put(t._1(), TableFiles.decode(t._2(), BenchmarkRun.class));
        }
        List<byte[]> classRows = new ArrayList<>();
        for (BenchmarkRun r : classRuns.values()) {
            BenchmarkClass c = BenchmarkTables.classRow(r.getCellcode(), r.getParameters(), r.getMultiplyAdds());
            classRows.add(TableFiles.encode(c));
        }
        manifestFiles.add(TableFiles.writePart(props, root, BenchmarkLayout.CLASSES_TABLE, 0,
                BenchmarkClass.getClassSchema().toString(), protocol, classRows.iterator()));

        long diverged = results.stream().filter(k -> k.epochs() == shortEpochs && k.diverged()).count();
        TreeSet<String> shortClasses = new TreeSet<>();
        results.stream().filter(k -> k.epochs() == shortEpochs).forEach(k -> shortClasses.add(k.cellClassId()));
        long answerable = shortClasses.stream().mapToLong(id -> SearchSpace.get().classById(id).size()).sum();
        Map<String, String> provenance = provenance(plan, fileCount, records, invalid.size(), duplicates, failed);
        BenchmarkManifest manifest = BenchmarkManifest.newBuilder()
                .setFormatVersion(BenchmarkLayout.FORMAT_VERSION)
                .setProtocolId(protocol)
                .setSource("aggregate")
                .setCreatedAt(Instant.now().toString())
                .setShortEpochs(shortEpochs)
                .setLongEpochs(longEpochs)
                .setLearningRates(List.copyOf(lrs))
                .setBatchSizes(List.copyOf(batches))
                .setSeeds(List.copyOf(seeds))
                .setCounts(new BenchmarkCounts(shortClasses.size(), (int) (answerable * lrs.size() * batches.size()),
                        rows[0], diverged, 0L))
                .setFiles(manifestFiles)
                .setProvenance(provenance)
                .setCompleteness(completeness)
                .build();
        writeManifest(out, manifest);
        return new Summary(plan.runs(), out.target().toString(), fileCount, records, invalid, duplicates, failed,
                shortEpochs, longEpochs, rows[0], rows[1], diverged, classRuns.size(), configurationCount,
                completeness.stream().map(Completeness::of).toList(), (System.nanoTime() - start) / 1e9);
    }

    /** Writes rows sorted by key into parts of at most {@link #ROWS_PER_PART} rows, on the executors. */
    private static List<BenchmarkFile> writeSorted(JavaPairRDD<String, byte[]> rows, long count,
            Map<String, String> props, String root, String table, String schema, String salt) {
        int parts = (int) Math.max(1, (count + ROWS_PER_PART - 1) / ROWS_PER_PART);
        return rows.sortByKey(true, parts)
                .values()
                .mapPartitionsWithIndex((part, it) -> List.of(TableFiles.writePart(props, root, table, part, schema,
                        salt, it)).iterator(), false)
                .collect()
                .stream()
                .filter(f -> f.getRecords() > 0)
                .toList();
    }

    private static void writeManifest(StagedDirectory out, BenchmarkManifest manifest) {
        FileSystem fs = out.fileSystem();
        Path temporary = new Path(out.staging(), "." + BenchmarkLayout.MANIFEST + ".tmp");
        try {
            // sortByKey may leave empty parts: they hold no rows, so they are not part of the benchmark
            for (FileStatus table : fs.listStatus(out.staging())) {
                if (table.isDirectory()) {
                    for (FileStatus f : fs.listStatus(table.getPath())) {
                        String rel = table.getPath().getName() + "/" + f.getPath().getName();
                        if (manifest.getFiles().stream().noneMatch(m -> m.getPath().equals(rel))) {
                            fs.delete(f.getPath(), false);
                        }
                    }
                }
            }
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

    private static Map<String, String> provenance(AggregatePlan plan, int files, long records, int invalid,
            long duplicates, long failed) {
        Map<String, String> p = new TreeMap<>(ManifestProvenance.ofThisJvm());
        p.put("runs", plan.runs());
        p.put("runFiles", Integer.toString(files));
        p.put("runRecords", Long.toString(records));
        p.put("invalidSkipped", Integer.toString(invalid));
        p.put("duplicatesDropped", Long.toString(duplicates));
        p.put("failedKeysLeftOut", Long.toString(failed));
        return p;
    }

    /** The run files of a construct output: {@code runs/*.avro}, without hidden and staging files. */
    static List<String> runFiles(String output, Configuration conf) {
        Path runs = new Path(new Path(URI.create(output)), RunStore.RUNS);
        List<String> files = new ArrayList<>();
        try {
            FileSystem fs = runs.getFileSystem(conf);
            if (!fs.exists(runs)) {
                throw new IllegalArgumentException("runs " + output + ": has no " + RunStore.RUNS + "/ directory; "
                        + "expected the output of `nashpo construct` (runs/<run id>.avro)");
            }
            for (FileStatus f : fs.listStatus(runs)) {
                String name = f.getPath().getName();
                if (f.isFile() && BenchmarkLayout.isDataFile(name)) {
                    files.add(f.getPath().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + runs + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("runs " + output + ": " + runs + " holds no run files");
        }
        files.sort(Comparator.naturalOrder());
        return files;
    }
}
