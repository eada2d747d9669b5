package org.nashpo.cli;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.space.CellCode;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.io.RunStore;
import org.junit.jupiter.api.io.TempDir;

/** nashpo construct and nashpo status on the shipped tiny example, embedded Spark, local files. */
class ConstructCommandIT {



    /** examples/tiny.yaml with its data and output pointed at this test's places. */
    static Path tinySpec(Path dir) throws Exception {
        Path mini = Path.of(System.getProperty("nashpo.miniData"));
        String yaml = Files.readString(mini.getParent().getParent().resolve("examples/tiny.yaml"))
                .replace("uri: ../data/cifar-10-mini", "uri: " + mini)
                .replace("output: ../target/tiny-runs", "output: " + dir.resolve("runs"));
        return Files.writeString(dir.resolve("tiny.yaml"), yaml);
    }

    @Test
    void theTinyExampleBuildsOnceAndThenHasNothingLeftToDo(@TempDir Path dir) throws Exception {
        Path spec = tinySpec(dir);
        CliRun before = CliRun.of("status", "--spec", spec.toString(), "--json");
        assertThat(before.code()).as(before.err()).isZero();
        assertThat(before.json().get("planned").asInt()).isEqualTo(16);
        assertThat(before.json().get("missing").asInt()).isEqualTo(16);
        assertThat(before.json().get("remainingSeconds").isNull()).as("nothing measured to predict with").isTrue();

        CliRun built = CliRun.of("construct", "--spec", spec.toString(), "--json");
        assertThat(built.code()).as(built.err()).isZero();
        JsonNode s = built.json();
        assertThat(s.get("planned").asInt()).isEqualTo(16);
        assertThat(s.get("trained").asInt()).isEqualTo(16);
        assertThat(s.get("completed").asInt() + s.get("diverged").asInt()).isEqualTo(16);
        assertThat(s.get("failed").asInt()).isZero();
        assertThat(built.err()).contains("16/16 runs done").contains("ETA");

        CliRun again = CliRun.of("construct", "--spec", spec.toString(), "--json");
        assertThat(again.code()).isZero();
        assertThat(again.json().get("trained").asInt()).isZero();
        assertThat(again.json().get("skippedAlreadyPresent").asInt()).isEqualTo(16);

        CliRun after = CliRun.of("status", "--spec", spec.toString(), "--json");
        assertThat(after.json().get("missing").asInt()).isZero();
        assertThat(after.json().get("remainingSeconds").asDouble()).isZero();
        assertThat(after.json().get("completed").asInt() + after.json().get("diverged").asInt()).isEqualTo(16);
        assertThat(after.json().get("otherProtocols").size()).isZero();

        // a record of an older recipe in the same output: recognised, reported, never counted as done
        RunStore store = new RunStore(dir.resolve("runs").toUri(), new org.apache.hadoop.conf.Configuration());
        TrainingRun built1 = store.scan(1).runs().values().iterator().next();
        TrainingRun older = TrainingRun.newBuilder(built1)
                .setKey(org.nashpo.schema.RunKey.newBuilder(built1.getKey()).setProtocolId(OLD_PROTOCOL).build()).build();
        var k = older.getKey();
        assertThat(store.publish(new RunKey(OLD_PROTOCOL, k.getCellClassId(), SearchSpace.NAS_HPO_BENCH_2.parse(k.getCellcode()), k.getLearningRate(),
                k.getBatchSize(), k.getSeed(), k.getEpochs()), older, "test")).isTrue();
        CliRun mixed = CliRun.of("status", "--spec", spec.toString(), "--json");
        assertThat(mixed.json().get("otherProtocols").get(OLD_PROTOCOL).asInt()).isEqualTo(1);
        assertThat(mixed.json().get("completed").asInt() + mixed.json().get("diverged").asInt()).isEqualTo(16);
        CliRun text = CliRun.of("status", "--spec", spec.toString());
        assertThat(text.out()).contains("1 run of another protocol (" + OLD_PROTOCOL);
    }

    private static final String OLD_PROTOCOL = "0123456789abcdef";

    @Test
    void benchConstructFillsAnOutputOnceAndFindsNothingLeft(@TempDir Path dir) throws Exception {
        Path spec = tinySpec(dir);
        String out = dir.resolve("runs").toString(); // the spec's own output
        CliRun first = CliRun.of("perf-construct", "--spec", spec.toString(), "--out", out, "--json");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.json().get("runs").asInt()).isEqualTo(16);
        assertThat(first.json().get("filled").asInt()).isEqualTo(16);
        assertThat(first.json().get("skipped").asInt()).isEqualTo(16);
        assertThat(first.json().get("trained").asInt()).isZero();

        CliRun again = CliRun.of("perf-construct", "--spec", spec.toString(), "--out", out, "--json");
        assertThat(again.json().get("filled").asInt()).as("reuses what it wrote").isZero();
        assertThat(again.json().get("skipped").asInt()).isEqualTo(16);
        // synthetic runs live under a protocol of their own: the real spec still has everything to train
        CliRun status = CliRun.of("status", "--spec", spec.toString(), "--json");
        assertThat(status.json().get("missing").asInt()).isEqualTo(16);
    }

    @Test
    void aBadSpecIsRefusedWithEveryProblemAndNothingRuns(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("bad.yaml"), String.join("\n",
                "name: bad",
                "data: {uri: " + dir.resolve("nowhere") + "}",
                "output: " + dir.resolve("runs"),
                "grid: {lrs: [0.1, -0.1], batchSizes: [32], seeds: [222]}",
                "schedules:",
                "  - epochs: 1",
                "    cells: ['0|1|2']",
                ""));
        CliRun r = CliRun.of("construct", "--spec", spec.toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("grid.lrs[1]").contains("0|1|2");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void unreadableDataRefusesToStart(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("nodata.yaml"), Files.readString(tinySpec(dir))
                .replace("uri: " + System.getProperty("nashpo.miniData"), "uri: " + dir.resolve("empty")));
        Files.createDirectories(dir.resolve("empty"));
        CliRun r = CliRun.of("construct", "--spec", spec.toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("empty").contains("is empty");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void aDamagedDataFileRefusesToStartNamingIt(@TempDir Path dir) throws Exception {
        // a copy of the subset with one byte of a training batch changed: its MD5 no longer matches
        Path data = Files.createDirectories(dir.resolve("damaged"));
        try (var files = Files.list(Path.of(System.getProperty("nashpo.miniData")))) {
            for (Path f : files.toList()) {
                Files.copy(f, data.resolve(f.getFileName()));
            }
        }
        Path batch = data.resolve("data_batch_1.bin");
        byte[] bytes = Files.readAllBytes(batch);
        bytes[5000] ^= 0x5a;
        Files.write(batch, bytes);
        Path spec = Files.writeString(dir.resolve("damaged.yaml"), Files.readString(tinySpec(dir))
                .replace("uri: " + System.getProperty("nashpo.miniData"), "uri: " + data));
        CliRun r = CliRun.of("construct", "--spec", spec.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("data_batch_1.bin").containsIgnoringCase("md5");
        assertThat(dir.resolve("runs")).doesNotExist();
    }
}
