package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The one parser of the options that take any Hadoop location (construct, aggregate, export, fit-surrogate, …). */
class UrisTest {

    @Test
    void aPlainPathAndItsFileUriAreTheSameLocation() {
        assertThat(Uris.of("/data/x", "--out")).isEqualTo(Uris.of("file:///data/x", "--out"));
        assertThat(new org.apache.hadoop.fs.Path(Uris.of("/data/x", "--out")))
                .isEqualTo(new org.apache.hadoop.fs.Path(URI.create("file:///data/x")));
        assertThat(Uris.of("relative/x", "--out")).isEqualTo(Path.of("relative/x").toAbsolutePath().toUri());
    }

    @Test
    void otherSchemesAreKeptAndAnEmptyLocationIsNamed() {
        assertThat(Uris.of("hdfs://namenode:8020/nashpo/runs", "--runs"))
                .isEqualTo(URI.create("hdfs://namenode:8020/nashpo/runs"));
        assertThat(Uris.of("s3a://bucket/bench", "--bench")).isEqualTo(URI.create("s3a://bucket/bench"));
        assertThatThrownBy(() -> Uris.of(" ", "--out")).hasMessageStartingWith("--out: is empty");
    }
}
