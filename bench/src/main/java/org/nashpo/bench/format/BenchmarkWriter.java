package org.nashpo.bench.format;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.io.DatumWriter;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.BenchmarkTables;
import org.nashpo.core.format.ManifestProvenance;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkCompleteness;
import org.nashpo.schema.BenchmarkCounts;
import org.nashpo.schema.BenchmarkData;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;

/**
 * Writes a benchmark directory on a local path: one part file of its runs table ({@code runs-S}) and,
 * with a long schedule, one of its predictions table ({@code predictions-L}), then the manifest with the
 * space, every file's size, record count and checksum. The manifest is written last (renamed into
 * place), so a directory without one is an unfinished benchmark, never a short one.
 *
 * <p>A benchmark of {@link BenchmarkGrid#PUBLISHED} is written as format 1 (the published benchmark's
 * shape), any other as format 2, with the completeness of its runs table. The derived tables of format
 * 2 ({@code classes}, {@code configurations}) are the aggregate job's; this writer does not write them.
 */
public final class BenchmarkWriter implements Closeable {

    static final String PART = "part-00000" + BenchmarkLayout.DATA_FILE_SUFFIX;

    private final Path directory;
    private final BenchmarkGrid grid;
    /** The data set the rows were trained on, for the manifest. */
    private final BenchmarkData data;
    /** Whether the grid is the published one on CIFAR-10: format 1, whose manifest has no completeness. */
    private final boolean published;
    private final String protocolId;
    private final String source;
    private final Map<String, String> provenance;
    private final Cellcodes cellcodes;
    private final ClassOrdinals ordinals;
    private final String runsTable;
    private final String predictionsTable;
    private final DataFileWriter<RunRow> runs;
    private final DataFileWriter<PredictionRow> predictions;
    private final BitSet classesSeen = new BitSet();
    /** Format 2: every key written, for the manifest's completeness. */
    private final List<BenchmarkTables.Present> present = new ArrayList<>();
    private long runCount;
    private long divergedCount;
    private long predictionCount;
    private boolean finished;

    private BenchmarkWriter(Path directory, BenchmarkGrid grid, BenchmarkData data, String protocolId, String source,
            Map<String, String> provenance, CodecFactory codec) throws IOException {
        this.directory = directory;
        this.grid = grid;
        this.data = data;
        this.published = grid.equals(BenchmarkGrid.PUBLISHED)
                && data.equals(Manifests.data(Dataset.CIFAR10, DataSplit.NAS_HPO_BENCH_2));
        this.protocolId = protocolId;
        this.source = source;
        this.provenance = new TreeMap<>(provenance);
        this.cellcodes = Cellcodes.of(grid.space());
        this.ordinals = ClassOrdinals.of(grid.space());
        this.runsTable = BenchmarkLayout.runsTable(grid.shortEpochs());
        this.predictionsTable = grid.longEpochs() > 0 ? BenchmarkLayout.predictionsTable(grid.longEpochs()) : null;
        this.runs = open(runsTable, new RunRowCodec.Writer(cellcodes), RunRowCodec.SCHEMA, codec);
        this.predictions = predictionsTable == null ? null : open(predictionsTable,
                new PredictionRowCodec.Writer(cellcodes), PredictionRowCodec.SCHEMA, codec);
    }

    /**
     * Starts a benchmark in {@code directory}, which must be absent or empty (benchmarks are never
     * overwritten).
     *
     * @param grid the space, network family, schedules and grid the benchmark is built on
     * @param source what produces it: {@code "synthetic"} or {@code "aggregate"}
     * @param provenance name → value, recorded in the manifest beside the build's version and the JVM
     */
    public static BenchmarkWriter create(Path directory, BenchmarkGrid grid, String protocolId, String source,
            Map<String, String> provenance, CodecFactory codec) {
        return create(directory, grid, Manifests.data(Dataset.CIFAR10, DataSplit.NAS_HPO_BENCH_2), protocolId, source,
                provenance, codec);
    }

    /** As {@link #create(Path, BenchmarkGrid, String, String, Map, CodecFactory)}, of rows trained on {@code data}. */
    public static BenchmarkWriter create(Path directory, BenchmarkGrid grid, BenchmarkData data, String protocolId,
            String source, Map<String, String> provenance, CodecFactory codec) {
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(data, "data");
        try {
            if (Files.exists(directory)) {
                if (!Files.isDirectory(directory)) {
                    throw new IllegalArgumentException("benchmark directory " + directory + " is a file; expected "
                            + "a directory that is absent or empty");
                }
                try (Stream<Path> entries = Files.list(directory)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException("benchmark directory " + directory + " is not empty; "
                                + "benchmarks are never overwritten: choose a new directory");
                    }
                }
            }
            return new BenchmarkWriter(directory, grid, data, protocolId, source, provenance, codec);
        } catch (IOException e) {
            throw new UncheckedIOException("creating benchmark " + directory + ": " + e.getMessage(), e);
        }
    }

    private <T> DataFileWriter<T> open(String table, DatumWriter<T> datumWriter, Schema schema, CodecFactory codec)
            throws IOException {
        Path dir = Files.createDirectories(directory.resolve(table));
        DataFileWriter<T> writer = new DataFileWriter<>(datumWriter);
        writer.setCodec(codec);
        writer.create(schema, new BufferedOutputStream(Files.newOutputStream(dir.resolve(PART)), 1 << 16),
                syncMarker(table));
        return writer;
    }

    /**
     * Avro draws a random sync marker per file; deriving it from what the writer was told instead makes
     * the same input give the same bytes (and checksums). A hash is as unlikely to occur in the data.
     */
    private byte[] syncMarker(String table) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((table + '\n' + protocolId + '\n' + source + '\n' + provenance).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(sha.digest(), DataFileConstants.SYNC_SIZE);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** Appends a row of the runs table, a row of the benchmark's space; the row may be reused afterwards. */
    public void append(RunRow row) {
        requireSpace(row.space(), row);
        try {
            runs.append(row);
        } catch (IOException e) {
            throw new UncheckedIOException("writing run " + row + ": " + e.getMessage(), e);
        }
        runCount++;
        if (row.epochsCompleted() < row.epochs()) {
            divergedCount++;
        }
        classesSeen.set(ordinals.ordinal(row.cell()));
        if (!published) {
            present.add(new BenchmarkTables.Present(cellcodes.classIdOf(row.cell()), row.learningRate(),
                    row.batchSize(), row.seed(), row.epochsCompleted() < row.epochs()));
        }
    }

    /** Appends a row of the predictions table, a row of the benchmark's space; the row may be reused afterwards. */
    public void append(PredictionRow row) {
        requireSpace(row.space(), row);
        if (predictions == null) {
            throw new IllegalStateException("benchmark " + directory + " has no long schedule: no predictions table "
                    + "to write " + row + " to");
        }
        try {
            predictions.append(row);
        } catch (IOException e) {
            throw new UncheckedIOException("writing prediction " + row + ": " + e.getMessage(), e);
        }
        predictionCount++;
    }

    private void requireSpace(SearchSpace space, Object row) {
        if (!space.equals(grid.space())) {
            throw new IllegalArgumentException("row " + row + " is of the space " + space + ", the benchmark's is "
                    + grid.space());
        }
    }

    /** Closes the tables and writes the manifest; returns it. */
    public BenchmarkManifest finish() {
        try {
            closeTables();
            List<BenchmarkFile> files = new ArrayList<>();
            files.add(describe(runsTable, runCount));
            if (predictionsTable != null) {
                files.add(describe(predictionsTable, predictionCount));
            }
            Map<String, String> prov = new TreeMap<>(provenance);
            prov.putAll(ManifestProvenance.ofThisJvm());
            SearchSpace space = grid.space();
            List<BenchmarkCompleteness> completeness = published ? List.of()
                    : BenchmarkTables.completeness(space, runsTable, grid.shortEpochs(), grid.learningRates(),
                            grid.batchSizes(), grid.seeds(), present);
            BenchmarkManifest manifest = BenchmarkManifest.newBuilder()
                    .setFormatVersion(published ? 1 : BenchmarkLayout.FORMAT_VERSION)
                    .setProtocolId(protocolId)
                    .setSpace(Manifests.space(space, grid.family()))
                    .setData(data)
                    .setSource(source)
                    .setCreatedAt(Instant.now().toString())
                    .setShortEpochs(grid.shortEpochs())
                    .setLongEpochs(grid.longEpochs())
                    .setLearningRates(new ArrayList<>(grid.learningRates()))
                    .setBatchSizes(new ArrayList<>(grid.batchSizes()))
                    .setSeeds(new ArrayList<>(grid.seeds()))
                    .setCounts(new BenchmarkCounts(classesSeen.cardinality(), configurations(), runCount,
                            divergedCount, predictionCount))
                    .setFiles(files)
                    .setProvenance(new TreeMap<>(prov))
                    .setCompleteness(completeness)
                    .build();
            Path temporary = directory.resolve("." + BenchmarkLayout.MANIFEST + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                Manifests.write(manifest, out);
            }
            Files.move(temporary, directory.resolve(BenchmarkLayout.MANIFEST), StandardCopyOption.ATOMIC_MOVE);
            finished = true;
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("finishing benchmark " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The configurations the runs table can answer: format 1, every configuration of the space; format 2,
     * the members of the classes written × the learning rates × the batch sizes.
     */
    private int configurations() {
        SearchSpace space = grid.space();
        if (published) {
            return ConfigIndex.size(space);
        }
        int members = 0;
        for (int c = classesSeen.nextSetBit(0); c >= 0; c = classesSeen.nextSetBit(c + 1)) {
            members += space.classes().get(c).size();
        }
        return members * grid.hps();
    }

    private BenchmarkFile describe(String table, long records) throws IOException {
        Path file = directory.resolve(table).resolve(PART);
        String sha;
        try (InputStream in = Files.newInputStream(file)) {
            sha = Manifests.sha256(in);
        }
        return new BenchmarkFile(table + "/" + PART, table, records, Files.size(file), sha);
    }

    /** Closes the files; a benchmark not {@link #finish() finished} stays without a manifest. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        try {
            closeTables();
        } catch (IOException e) {
            throw new UncheckedIOException("closing benchmark " + directory + ": " + e.getMessage(), e);
        }
    }

    private void closeTables() throws IOException {
        runs.close();
        if (predictions != null) {
            predictions.close();
        }
    }
}
