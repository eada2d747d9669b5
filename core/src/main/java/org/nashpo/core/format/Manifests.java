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
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkData;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.BenchmarkSpace;

/**
 * Reads and writes {@code manifest.json} (Avro's JSON encoding of {@link BenchmarkManifest}, which has
 * no unions, so it is plain JSON) and computes the SHA-256 checksums it lists. Streams, not paths,
 * so the Spark job can use Hadoop's FileSystem and the bench library java.nio.
 *
 * <p>The schema's last two fields, {@code space} and {@code data}, are written only when they are not their
 * defaults: a manifest of NAS-HPO-Bench-II's space on its CIFAR-10 is exactly what it was before spaces and data
 * sets were configurable, one of another space on CIFAR-10 what it was before data sets.
 */
public final class Manifests {

    private static final int BUFFER = 1 << 16;

    private Manifests() {
    }

    public static void write(BenchmarkManifest manifest, OutputStream out) throws IOException {
        // the fields are the last, so the older schemas' fields have the same positions
        Schema schema = !isDefault(manifest.getData()) ? BenchmarkManifest.getClassSchema()
                : isDefault(manifest.getSpace()) ? Version2.SCHEMA : Version3.SCHEMA;
        Encoder encoder = EncoderFactory.get().jsonEncoder(schema, out, true);
        new SpecificDatumWriter<BenchmarkManifest>(schema).write(manifest, encoder);
        encoder.flush();
    }

    /** The manifest entry of a space and family. */
    public static BenchmarkSpace space(SearchSpace space, NetworkFamily family) {
        return new BenchmarkSpace(family.specName(), List.copyOf(space.operationNames()));
    }

    /** The search space a manifest names; an {@link IllegalArgumentException} naming an unknown operation. */
    public static SearchSpace searchSpace(BenchmarkManifest manifest) {
        try {
            return SearchSpace.ofNames(manifest.getSpace().getOperations().stream().map(CharSequence::toString)
                    .toList());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("manifest space.operations: " + e.getMessage(), e);
        }
    }

    /** The network family a manifest names; an {@link IllegalArgumentException} naming an unknown one. */
    public static NetworkFamily family(BenchmarkManifest manifest) {
        String name = manifest.getSpace().getFamily().toString();
        return NetworkFamily.bySpecName(name).orElseThrow(() -> new IllegalArgumentException(
                "manifest space.family: unknown network family \"" + name + "\"; expected one of "
                        + String.join(", ", NetworkFamily.specNames())));
    }

    private static boolean isDefault(BenchmarkSpace space) {
        return space.equals(space(SearchSpace.NAS_HPO_BENCH_2, NetworkFamily.NAS_HPO_BENCH_2));
    }

    /** The manifest entry of a data set divided by a split. */
    public static BenchmarkData data(Dataset dataset, DataSplit split) {
        split.requireSupports(dataset);
        return new BenchmarkData(dataset.specName(), split.specName());
    }

    /** The data set a manifest names; an {@link IllegalArgumentException} naming an unknown one. */
    public static Dataset dataset(BenchmarkManifest manifest) {
        String name = manifest.getData().getDataset();
        return Dataset.bySpecName(name).orElseThrow(() -> new IllegalArgumentException(
                "manifest data.dataset: unknown data set \"" + name + "\"; expected one of "
                        + String.join(", ", Dataset.specNames())));
    }

    /** How a manifest's data set was divided; an {@link IllegalArgumentException} naming an unknown split. */
    public static DataSplit split(BenchmarkManifest manifest) {
        String name = manifest.getData().getSplit();
        DataSplit split = DataSplit.bySpecName(name).orElseThrow(() -> new IllegalArgumentException(
                "manifest data.split: unknown split \"" + name + "\"; expected one of "
                        + String.join(", ", DataSplit.specNames())));
        if (!split.supports(dataset(manifest))) {
            throw new IllegalArgumentException("manifest data.split: " + name + " does not divide "
                    + manifest.getData().getDataset());
        }
        return split;
    }

    private static boolean isDefault(BenchmarkData data) {
        return data.equals(data(Dataset.CIFAR10, DataSplit.NAS_HPO_BENCH_2));
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
            for (Schema older : List.of(Version3.SCHEMA, Version2.SCHEMA, Version1.SCHEMA)) {
                try {
                    return decode(json, older);
                } catch (AvroTypeException | IOException ignored) {
                    // the next older one, or the current schema's complaint
                }
            }
            throw new IllegalArgumentException(source + ": not a readable benchmark manifest (" + e.getMessage()
                    + "); expected the JSON of the BenchmarkManifest schema", e);
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
        static final Schema SCHEMA = archived("BenchmarkManifest-v1.avsc");
    }

    /**
     * The format-2 schema before spaces (without the {@code space} field), archived: what NAS-HPO-Bench-II's
     * manifests are written with.
     */
    private static final class Version2 {
        static final Schema SCHEMA = archived("BenchmarkManifest-v2.avsc");
    }

    /**
     * The schema with spaces and before data sets (without the {@code data} field), archived: what the manifests of
     * another space on NAS-HPO-Bench-II's CIFAR-10 are written with.
     */
    private static final class Version3 {
        static final Schema SCHEMA = archived("BenchmarkManifest-v3.avsc");
    }

    private static Schema archived(String resource) {
        try (InputStream in = Manifests.class.getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the archived manifest schema " + resource, e);
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
