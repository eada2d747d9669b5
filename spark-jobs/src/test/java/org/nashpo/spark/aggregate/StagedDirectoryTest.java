package org.nashpo.spark.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.format.BenchmarkLayout;

class StagedDirectoryTest {

    @Test
    void anExistingBenchmarkGivenWithATrailingSlashIsReplacedBesideItNotInsideIt(@TempDir Path dir) throws Exception {
        Path bench = Files.createDirectories(dir.resolve("bench"));
        Files.writeString(bench.resolve(BenchmarkLayout.MANIFEST), "{}");
        Files.writeString(bench.resolve("old.txt"), "old");
        // an existing local directory's URI ends in "/"
        assertThat(bench.toUri().toString()).endsWith("/");

        StagedDirectory staged = StagedDirectory.begin(bench.toUri(), new Configuration(), true,
                StagedDirectory.Replaceable.BENCHMARK, "benchmark");
        assertThat(staged.staging().getParent().toUri().getPath()).isEqualTo(dir.toUri().getPath().replaceAll("/$", ""));
        Files.writeString(Path.of(staged.staging().toUri()).resolve("new.txt"), "new");
        staged.publish();

        assertThat(bench.resolve("new.txt")).hasContent("new");
        assertThat(bench.resolve("old.txt")).doesNotExist();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("bench");
        }
    }
}
