package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's own network (width 16, 5 cells per stage) learns from real images: one epoch on
 * 1,000 train images beats chance on 1,000 test images. Chance is 10% ± 0.95% (one standard
 * deviation for 1,000 images), so 13% is more than three deviations above it.
 */
class FullWidthTrainIT {

    @Test
    void oneEpochAtFullWidthBeatsChance(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("train", "--cellcode", "0|10|210",
                "--lr", "0.05", "--batch-size", "32", "--epochs", "1", "--seed", "222",
                "--data", System.getProperty("nashpo.miniData"),
                "--train-size", "1000", "--valid-size", "1000", "--test-size", "1000",
                "--out", dir.resolve("run.avro").toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("finalTestAccuracy").asDouble()).isGreaterThan(13.0);
        assertThat(s.get("finalValidAccuracy").asDouble()).isGreaterThan(13.0);
    }
}
