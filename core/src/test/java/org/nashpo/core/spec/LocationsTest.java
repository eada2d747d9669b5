package org.nashpo.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationsTest {

    private static URI dataUri(String written, URI location) {
        return BenchmarkSpec.parse("""
                name: x
                data: {uri: '%s'}
                output: /runs
                schedules: [{epochs: 1, cells: representatives}]
                """.formatted(written), location).data().uri();
    }

    @Test
    void pathsResolveAgainstTheSpecsDirectoryAndUrisStayAsTheyAre() {
        URI local = URI.create("file:/specs/team/spec.yaml");
        assertThat(dataUri("../data/cifar", local)).isEqualTo(URI.create("file:/specs/data/cifar"));
        assertThat(dataUri("cifar", local)).isEqualTo(URI.create("file:/specs/team/cifar"));
        assertThat(dataUri("./a/../cifar", local)).isEqualTo(URI.create("file:/specs/team/cifar"));
        assertThat(dataUri("/datasets/cifar", local)).isEqualTo(URI.create("file:/datasets/cifar"));
        assertThat(dataUri("my data", local)).isEqualTo(URI.create("file:/specs/team/my%20data"));
        assertThat(dataUri("hdfs://nn:8020/datasets/cifar", local)).isEqualTo(URI.create("hdfs://nn:8020/datasets/cifar"));
        assertThat(dataUri("s3a://bucket/cifar", local)).isEqualTo(URI.create("s3a://bucket/cifar"));

        URI onHdfs = URI.create("hdfs://nn:8020/specs/spec.yaml");
        assertThat(dataUri("cifar", onHdfs)).isEqualTo(URI.create("hdfs://nn:8020/specs/cifar"));
        assertThat(dataUri("/datasets/cifar", onHdfs)).isEqualTo(URI.create("hdfs://nn:8020/datasets/cifar"));
        assertThat(dataUri("file:///datasets/cifar", onHdfs)).isEqualTo(URI.create("file:///datasets/cifar"));
    }

    @Test
    void aFileResolvesAgainstItsOwnDirectory(@TempDir Path dir) throws Exception {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        Files.writeString(specs.resolve("s.yaml"), """
                name: x
                data: {uri: ../data}
                output: runs
                schedules: [{epochs: 1, cells: representatives}]
                """);
        BenchmarkSpec spec = BenchmarkSpec.read(specs.resolve("s.yaml"));
        assertThat(Path.of(spec.data().uri())).isEqualTo(dir.resolve("data"));
        assertThat(Path.of(spec.output())).isEqualTo(specs.resolve("runs"));
    }

    @Test
    void anOpaqueUriOrARelativeLocationIsRefused() {
        assertThatThrownBy(() -> dataUri("mailto:someone@example.org", Examples.LOCATION))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("data.uri: must be an absolute hierarchical URI (scheme:/path), "
                        + "was mailto:someone@example.org");
        assertThatThrownBy(() -> dataUri("data", URI.create("specs/spec.yaml")))
                .isNotInstanceOf(SpecException.class)
                .hasMessage("spec location: must be the spec file's absolute URI (scheme:/path), was specs/spec.yaml");
    }
}
