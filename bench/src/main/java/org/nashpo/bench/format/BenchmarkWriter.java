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
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.io.DatumWriter;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.ManifestProvenance;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.schema.BenchmarkCounts;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;

/**
 * Writes a benchmark directory of format 1 (the published benchmark's complete shape: S = 12,
 * L = 200, the full grid) on a local path: one part file per table, then the manifest with
 * every file's size, record count and checksum. The manifest is written last (renamed into place),
 * so a directory without one is an unfinished benchmark, never a short one.
 */
public final class BenchmarkWriter implements Closeable {

    static final String PART = "part-00000" + BenchmarkLayout.DATA_FILE_SUFFIX;

    private final Path directory;
    private final String protocolId;
    private final String source;
    private final Map<String, String> provenance;
    private final DataFileWriter<RunRow> runs;
    private final DataFileWriter<PredictionRow> predictions;
    private final BitSet classesSeen = new BitSet();
    private long runCount;
    private long divergedCount;
    private long predictionCount;
    private boolean finished;

    private BenchmarkWriter(Path directory, String protocolId, String source, Map<String, String> provenance,
            CodecFactory codec) throws IOException {
        this.directory = directory;
        this.protocolId = protocolId;
        this.source = source;
        this.provenance = new TreeMap<>(provenance);
        this.runs = open(BenchmarkLayout.RUNS_TABLE, new RunRowCodec.Writer(), RunRowCodec.SCHEMA, codec);
        this.predictions = open(BenchmarkLayout.PREDICTIONS_TABLE, new PredictionRowCodec.Writer(),
                PredictionRowCodec.SCHEMA, codec);
    }

    /**
     * Starts a benchmark in {@code directory}, which must be absent or empty (benchmarks are never
     * overwritten).
     *
     * @param source what produces it: {@code "synthetic"} or {@code "aggregate"}
     * @param provenance name → value, recorded in the manifest beside the build's version and the JVM
     */
    public static BenchmarkWriter create(Path directory, String protocolId, String source,
            Map<String, String> provenance, CodecFactory codec) {
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
            return new BenchmarkWriter(directory, protocolId, source, provenance, codec);
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

    /** Appends a row of the runs table; the row may be reused afterwards. */
    public void append(RunRow row) {
        try {
            runs.append(row);
        } catch (IOException e) {
            throw new UncheckedIOException("writing run " + row + ": " + e.getMessage(), e);
        }
        runCount++;
        if (row.epochsCompleted() < row.epochs()) {
            divergedCount++;
        }
        classesSeen.set(ClassOrdinals.of(row.cell()));
    }

    /** Appends a row of the predictions table; the row may be reused afterwards. */
    public void append(PredictionRow row) {
        try {
            predictions.append(row);
        } catch (IOException e) {
            throw new UncheckedIOException("writing prediction " + row + ": " + e.getMessage(), e);
        }
        predictionCount++;
    }

    /** Closes the tables and writes the manifest; returns it. */
    public BenchmarkManifest finish() {
        try {
            runs.close();
            predictions.close();
            List<BenchmarkFile> files = List.of(
                    describe(BenchmarkLayout.RUNS_TABLE, runCount),
                    describe(BenchmarkLayout.PREDICTIONS_TABLE, predictionCount));
            Map<String, String> prov = new TreeMap<>(provenance);
            prov.putAll(ManifestProvenance.ofThisJvm());
            BenchmarkManifest manifest = BenchmarkManifest.newBuilder()
                    .setFormatVersion(1)
                    .setProtocolId(protocolId)
                    .setSource(source)
                    .setCreatedAt(Instant.now().toString())
                    .setShortEpochs(BenchmarkLayout.SHORT_EPOCHS)
                    .setLongEpochs(BenchmarkLayout.LONG_EPOCHS)
                    .setLearningRates(new ArrayList<>(HpGrid.LEARNING_RATES))
                    .setBatchSizes(new ArrayList<>(HpGrid.BATCH_SIZES))
                    .setSeeds(new ArrayList<>(HpGrid.SEEDS))
                    .setCounts(new BenchmarkCounts(classesSeen.cardinality(), ConfigIndex.SIZE, runCount,
                            divergedCount, predictionCount))
                    .setFiles(files)
                    .setProvenance(new TreeMap<>(prov))
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
            runs.close();
            predictions.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing benchmark " + directory + ": " + e.getMessage(), e);
        }
    }
}
