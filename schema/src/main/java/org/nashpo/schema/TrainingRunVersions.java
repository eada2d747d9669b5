package org.nashpo.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The TrainingRun schemas nashpo writes run files with: every released version, archived beside this
 * class as {@code archive/TrainingRun-v1.avsc}, {@code -v2}, ... (numbered from one without gaps), and
 * the current generated schema. This is the one list of them: a run file is read only if the schema
 * in its header is exactly one of these, and releasing a version is adding its file.
 *
 * <p>"Exactly" is by {@link #fingerprint}: the schema's whole JSON as Avro writes it, documentation,
 * defaults and properties included. Avro's parsing fingerprint ignores those, and its file headers
 * carry no checksum, so a damaged byte of a field's name or doc would otherwise read as a file of
 * another, legal schema (a renamed field is then missing, its values silently lost).
 */
public final class TrainingRunVersions {

    private static final String ARCHIVED = "archive/TrainingRun-v%d.avsc";
    private static final Map<String, String> ACCEPTED = accepted();

    private TrainingRunVersions() {
    }

    /** The released versions, v1 first: the archive's files up to the first number missing. */
    public static List<Schema> archived() {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = TrainingRunVersions.class.getResourceAsStream(String.format(ARCHIVED, v))) {
                if (in == null) {
                    return Collections.unmodifiableList(versions);
                }
                versions.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("reading the archived TrainingRun schema v" + v + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The name of the version {@code writer} is exactly ({@code "v1"}, ...; {@code "current"} for a
     * generated schema not archived yet), or empty if it is none of them.
     */
    public static Optional<String> version(Schema writer) {
        return Optional.ofNullable(ACCEPTED.get(fingerprint(writer)));
    }

    /** The names of the accepted versions, oldest first, for messages. */
    public static List<String> names() {
        return List.copyOf(ACCEPTED.values());
    }

    /** SHA-256 of the schema's full JSON ({@link Schema#toString()}), in hex. */
    public static String fingerprint(Schema schema) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(schema.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static Map<String, String> accepted() {
        Map<String, String> accepted = new LinkedHashMap<>();
        List<Schema> archived = archived();
        for (int v = 0; v < archived.size(); v++) {
            accepted.put(fingerprint(archived.get(v)), "v" + (v + 1));
        }
        accepted.putIfAbsent(fingerprint(TrainingRun.getClassSchema()), "current");
        return Collections.unmodifiableMap(accepted);
    }
}
