package org.nashpo.core.format;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;

/**
 * Reads and writes {@code manifest.json} (Avro's JSON encoding of {@link BenchmarkManifest}, which has
 * no unions, so it is plain JSON) and computes the SHA-256 checksums it lists. Streams, not paths,
 * so the Spark job can use Hadoop's FileSystem and the bench library java.nio.
 */
public final class Manifests {

    private static final int BUFFER = 1 << 16;

    private Manifests() {
    }

    public static void write(BenchmarkManifest manifest, OutputStream out) throws IOException {
        Encoder encoder = EncoderFactory.get().jsonEncoder(BenchmarkManifest.getClassSchema(), out, true);
        new SpecificDatumWriter<>(BenchmarkManifest.class).write(manifest, encoder);
        encoder.flush();
    }

    /**
     * Reads a manifest of any readable format version: one written with the current schema, or a
     * format-1 manifest (without the fields format 2 added), whose new fields take their defaults.
     * JSON that matches neither is an {@link IllegalArgumentException} naming {@code source} and what
     * Avro found wrong with it as the current schema.
     */
    public static BenchmarkManifest read(InputStream in, String source) throws IOException {
        byte[] json = in.readAllBytes();
        Schema current = BenchmarkManifest.getClassSchema();
        try {
            return decode(json, current);
        } catch (AvroTypeException | IOException e) {
            try {
                return decode(json, Version1.SCHEMA);
            } catch (AvroTypeException | IOException ignored) {
                throw new IllegalArgumentException(source + ": not a readable benchmark manifest (" + e.getMessage()
                        + "); expected the JSON of the BenchmarkManifest schema", e);
            }
        }
    }

    private static BenchmarkManifest decode(byte[] json, Schema writer) throws IOException {
        return new SpecificDatumReader<BenchmarkManifest>(writer, BenchmarkManifest.getClassSchema())
                .read(null, DecoderFactory.get().jsonDecoder(writer, new ByteArrayInputStream(json)));
    }

    /**
     * The manifest with the files of {@code table} replaced by {@code files}, and the counts of the
     * tables the counts track recomputed: a tool that adds or replaces a table (fit-surrogate adds
     * {@code predictions-L}) publishes its files, then writes this manifest in place of the old one.
     */
    public static BenchmarkManifest withTable(BenchmarkManifest manifest, String table, List<BenchmarkFile> files) {
        List<BenchmarkFile> all = new ArrayList<>();
        for (BenchmarkFile f : manifest.getFiles()) {
            if (!f.getTable().equals(table)) {
                all.add(f);
            }
        }
        for (BenchmarkFile f : files) {
            if (!f.getTable().equals(table)) {
                throw new IllegalArgumentException("files: " + f.getPath() + " is in table " + f.getTable()
                        + ", expected " + table);
            }
            all.add(f);
        }
        BenchmarkManifest updated = BenchmarkManifest.newBuilder(manifest).setFiles(all).build();
        String predictions = updated.getLongEpochs() > 0
                ? BenchmarkLayout.predictionsTable(updated.getLongEpochs()) : null;
        long predicted = 0;
        long runs = 0;
        for (BenchmarkFile f : all) {
            if (f.getTable().equals(predictions)) {
                predicted += f.getRecords();
            } else if (f.getTable().equals(BenchmarkLayout.runsTable(updated.getShortEpochs()))) {
                runs += f.getRecords();
            }
        }
        updated.getCounts().setPredictions(predicted);
        updated.getCounts().setRuns(runs);
        return updated;
    }

    /** The BenchmarkManifest schema of format 1, archived: what format-1 manifests were written with. */
    private static final class Version1 {
        static final Schema SCHEMA;

        static {
            try (InputStream in = Manifests.class.getResourceAsStream("BenchmarkManifest-v1.avsc")) {
                SCHEMA = new Schema.Parser().parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the archived manifest schema of format 1", e);
            }
        }
    }

    /** Lower-case hex SHA-256 of everything the stream holds; the stream is read to its end. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        byte[] buffer = new byte[BUFFER];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
