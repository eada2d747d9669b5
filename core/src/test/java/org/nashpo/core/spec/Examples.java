package org.nashpo.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.network.NetworkShape;

/** Where the tests find the shipped example specs and their own spec files. */
final class Examples {

    /** A location for specs given as text: relative paths in them resolve to /specs/team/. */
    static final URI LOCATION = URI.create("file:/specs/team/spec.yaml");
    static final Map<String, String> CHECKSUMS = Map.of("data_batch_1.bin", "0123456789abcdef");

    private Examples() {
    }

    /** Surefire runs in the module's directory; the examples sit at the repository's root. */
    static Path dir() {
        Path dir = Path.of("").toAbsolutePath().getParent().resolve("examples");
        assertThat(dir).isDirectory();
        return dir;
    }

    static BenchmarkSpec read(String example) throws IOException {
        return BenchmarkSpec.read(dir().resolve(example));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = Examples.class.getResourceAsStream("/spec/" + name)) {
            assertThat(in).as("test resource spec/%s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static BenchmarkSpec parse(String yaml) {
        return BenchmarkSpec.parse(yaml, LOCATION);
    }

    static TrainingProtocol protocol(NetworkShape network, int train, int valid, int test) {
        return new TrainingProtocol(network, train, valid, test, CHECKSUMS);
    }
}
