package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nashpo train and nashpo show end to end on the repository's CIFAR-10 subset, in-process. */
class TrainShowIT {

    private static final String MINI = System.getProperty("nashpo.miniData");

    private static String[] train(Path out, String data, String... extra) {
        return train(out, data, 64, extra);
    }

    private static String[] train(Path out, String data, int validSize, String... extra) {
        String[] base = {"train", "--cellcode", "0|10|210", "--lr", "0.05", "--batch-size", "32", "--epochs", "1",
            "--data", data, "--train-size", "128", "--valid-size", String.valueOf(validSize), "--test-size", "64",
            "--width", "4",
            "--cells-per-stage", "1", "--out", out.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void trainWritesOneRunAndShowPrintsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.avro");
        CliRun trained = CliRun.of(train(file, MINI, "--json"));
        assertThat(trained.code()).as(trained.err()).isZero();
        JsonNode summary = trained.json();
        assertThat(summary.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(summary.get("epochsDone").asInt()).isEqualTo(1);
        assertThat(trained.err()).contains("epoch 1:");

        CliRun shown = CliRun.of("show", file.toString(), "--json");
        assertThat(shown.code()).isZero();
        JsonNode runs = shown.json().get("runs");
        assertThat(runs).hasSize(1);
        JsonNode r = runs.get(0);
        assertThat(r.get("key").get("cellcode").asText()).isEqualTo("0|10|210");
        assertThat(r.get("key").get("batchSize").asInt()).isEqualTo(32);
        assertThat(r.get("data").get("trainSize").asInt()).isEqualTo(128);
        assertThat(r.get("perEpoch")).hasSize(1);
        assertThat(r.get("perEpoch").get(0).get("testAccuracy").asDouble())
                .isEqualTo(summary.get("finalTestAccuracy").asDouble());

        CliRun text = CliRun.of("show", file.toString());
        assertThat(text.out()).contains("0|10|210").contains("COMPLETED").contains("train loss");
    }

    @Test
    void anExistingOutputIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.avro");
        Files.writeString(file, "precious");
        CliRun r = CliRun.of(train(file, MINI));
        assertThat(r.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("already exists");
        assertThat(Files.readString(file)).isEqualTo("precious");
    }

    /**
     * Two trains to one --out, both trained before either publishes (each waits for the other at the end of
     * its last epoch, past the check that --out is free): one writes the run file, the other is refused,
     * naming it, and the file is the winner's whole run; no staging file is left.
     */
    @Test
    void ofTwoTrainsToOneOutputOneWritesItAndTheOtherIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.avro");
        CyclicBarrier trained = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Map<Integer, Future<CliRun>> bySeed = new TreeMap<>();
        try {
            for (int seed : new int[] {222, 555}) {
                bySeed.put(seed, pool.submit(() -> trainWaitingAfterItsEpoch(trained, train(file, MINI, "--seed",
                        String.valueOf(seed), "--threads", "1"))));
            }
            Map<Integer, CliRun> runs = new TreeMap<>();
            for (var e : bySeed.entrySet()) {
                runs.put(e.getKey(), e.getValue().get(10, TimeUnit.MINUTES));
            }
            assertThat(runs.values()).extracting(CliRun::code)
                    .containsExactlyInAnyOrder(Main.EXIT_OK, Main.EXIT_BAD_INPUT);
            int winner = runs.entrySet().stream().filter(e -> e.getValue().code() == Main.EXIT_OK).findFirst()
                    .orElseThrow().getKey();
            CliRun refused = runs.values().stream().filter(r -> r.code() == Main.EXIT_BAD_INPUT).findFirst()
                    .orElseThrow();
            assertThat(refused.err()).contains("run file").contains(file.getFileName().toString())
                    .contains("already exists");

            CliRun shown = CliRun.of("show", file.toString(), "--json");
            assertThat(shown.code()).as(shown.err()).isZero();
            assertThat(shown.json().get("runs")).hasSize(1);
            assertThat(shown.json().get("runs").get(0).get("key").get("seed").asInt()).isEqualTo(winner);
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(".staging."));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** An in-process train whose progress, once it reports its epoch, waits for the other train to report its own. */
    private static CliRun trainWaitingAfterItsEpoch(CyclicBarrier trained, String... args) {
        StringBuilder err = new StringBuilder();
        Writer progress = new Writer() {
            private boolean waited;

            @Override
            public void write(char[] chars, int offset, int length) {
                err.append(chars, offset, length);
                if (!waited && err.indexOf("epoch 1:") >= 0) {
                    waited = true;
                    try {
                        trained.await(5, TimeUnit.MINUTES);
                    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                        throw new IllegalStateException("the other train did not finish its epoch", e);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(progress), args);
        return new CliRun(code, out.toString(), err.toString(), 0);
    }

    @Test
    void badDataAndBadFilesAreBadInputNamingWhatAndWhere(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.of(train(dir.resolve("a.avro"), dir.resolve("nowhere").toString()));
        assertThat(missing.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(missing.err()).contains("nowhere").contains("does not exist");
        assertThat(dir.resolve("a.avro")).doesNotExist();

        CliRun tooMany = CliRun.of(train(dir.resolve("b.avro"), MINI, 5000));
        assertThat(tooMany.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(tooMany.err()).contains("valid size 5000");

        Path junk = Files.writeString(dir.resolve("junk.avro"), "not avro");
        CliRun shown = CliRun.of("show", junk.toString());
        assertThat(shown.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(shown.err()).contains("junk.avro").contains("not a readable run file");
    }
}
