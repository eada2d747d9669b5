package org.nashpo.core.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.avro.AvroTypeException;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
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
     * Reads a manifest; JSON that does not match the schema is an {@link IllegalArgumentException}
     * naming {@code source} and what Avro found wrong.
     */
    public static BenchmarkManifest read(InputStream in, String source) throws IOException {
        try {
            return new SpecificDatumReader<>(BenchmarkManifest.class)
                    .read(null, DecoderFactory.get().jsonDecoder(BenchmarkManifest.getClassSchema(), in));
        } catch (AvroTypeException | IOException e) {
            throw new IllegalArgumentException(source + ": not a readable benchmark manifest (" + e.getMessage()
                    + "); expected the JSON of the BenchmarkManifest schema", e);
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
