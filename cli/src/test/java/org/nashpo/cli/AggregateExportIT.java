package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.schema.TrainingRun;
import org.nashpo.worker.io.RunFiles;

/**
 * construct → aggregate → perf-query → export on a small real grid, embedded Spark, local files:
 * 2 cells × lr 0.1 × batch 32 × seed 222 on a 1-epoch schedule, one of them also on a 2-epoch one.
 */
class AggregateExportIT {

    private static Path spec(Path dir) throws Exception {
        Path mini = Path.of(System.getProperty("nashpo.miniData"));
        return Files.writeString(dir.resolve("small.yaml"), String.join("\n",
                "name: small",
                "data: {uri: " + mini + ", trainSize: 64, validSize: 32, testSize: 32}",
                "output: " + dir.resolve("runs"),
                "network: {width: 4, cellsPerStage: 1, stages: 3}",
                "grid: {lrs: [0.1], batchSizes: [32], seeds: [222]}",
                "schedules:",
                "  - epochs: 1",
                "    cells: ['0|10|210', '0|00|333']",
                "  - epochs: 2",
                "    cells: ['0|10|210']",
                "resources: {threadsPerTask: 1}",
                ""));
    }

    @Test
    void aConstructOutputBecomesABenchmarkThatOpensAndExports(@TempDir Path dir) throws Exception {
        CliRun built = CliRun.of("construct", "--spec", spec(dir).toString(), "--master", "local[2]", "--json");
        assertThat(built.code()).as(built.err()).isZero();
        assertThat(built.json().get("trained").asInt()).isEqualTo(3);
        Path bench = dir.resolve("bench");

        CliRun aggregated = CliRun.of("aggregate", "--runs", dir.resolve("runs").toString(), "--out", bench.toString(),
                "--master", "local[2]", "--json");

        assertThat(aggregated.code()).as(aggregated.err()).isZero();
        JsonNode a = aggregated.json();
        assertThat(a.get("tables").get("shortEpochs").asInt()).isEqualTo(1);
        assertThat(a.get("tables").get("longEpochs").asInt()).isEqualTo(2);
        assertThat(a.get("tables").get("shortRuns").asInt()).isEqualTo(2);
        assertThat(a.get("tables").get("longRuns").asInt()).isEqualTo(1);
        assertThat(a.get("read").get("invalid")).isEmpty();
        assertThat(bench.resolve("manifest.json")).isRegularFile();
        assertThat(bench.resolve("runs-1")).isDirectory();

        CliRun queried = CliRun.of("perf-query", "--bench", bench.toString(), "--verify", "--json");
        assertThat(queried.code()).as(queried.err()).isZero();
        assertThat(queried.json().get("runs").asInt()).isEqualTo(2);
        PerfRelations.query(queried.json(), queried.seconds());

        CliRun again = CliRun.of("aggregate", "--runs", dir.resolve("runs").toString(), "--out", bench.toString(),
                "--master", "local[2]");
        assertThat(again.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(again.err()).contains("already exists").contains("--overwrite");

        Path pickles = dir.resolve("pickles");
        CliRun exported = CliRun.of("export", "--bench", bench.toString(), "--format", "nashpobench2", "--out",
                pickles.toString(), "--master", "local[2]", "--json");
        assertThat(exported.code()).as(exported.err()).isZero();
        assertThat(exported.json().get("files").toString())
                .isEqualTo("[\"avgaccs200.pkl\",\"bench12.pkl\",\"cellinfo.pkl\"]");
        Process p = new ProcessBuilder("python3", "-c", String.join("\n",
                "import pickle, sys",
                "d = sys.argv[1]",
                "b = pickle.load(open(d + '/bench12.pkl', 'rb'))",
                "c = pickle.load(open(d + '/cellinfo.pkl', 'rb'))",
                "a = pickle.load(open(d + '/avgaccs200.pkl', 'rb'))",
                "k = (c['hash']['0|10|210'], 0.1, 32, 222)",
                "print(len(b), len(b['valid_acc_0']), 0 <= b['valid_acc_0'][k] <= 100, b['seed'][k], len(a['avg_acc']))"),
                pickles.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as(out).isZero();
        // 3 splits × (acc + time) × 1 epoch + 3 totals + lr, batch_size, seed
        assertThat(out).isEqualTo("12 2 True 222 1");

        Path csv = dir.resolve("csv");
        CliRun tidy = CliRun.of("export", "--bench", bench.toString(), "--format", "CSV", "--out", csv.toString(),
                "--master", "local[2]");
        assertThat(tidy.code()).as(tidy.err()).isZero();
        List<String> lines = Files.readAllLines(csv.resolve("runs.csv"));
        assertThat(lines).hasSize(1 + 3);
        assertThat(lines.get(0)).startsWith("cellcode,cell_class_id,learning_rate,batch_size,seed,epochs,");

        CliRun badFormat = CliRun.of("export", "--bench", bench.toString(), "--format", "xlsx", "--out",
                dir.resolve("x").toString());
        assertThat(badFormat.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(badFormat.err()).contains("\"xlsx\"").contains("parquet, csv, avro, nashpobench2");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    /**
     * An output holding the runs of an older recipe beside today's (every run recorded again under another
     * protocol id, as an output built before a recipe change holds them): status lists them apart, aggregate
     * takes today's and names what it left out on stdout, in --json and in its log, and --protocol takes the other.
     */
    @Test
    void anOutputOfTwoProtocolsAggregatesTodaysRunsByDefaultAndTheOlderOnesWithProtocol(@TempDir Path dir)
            throws Exception {
        Path spec = spec(dir);
        CliRun built = CliRun.of("construct", "--spec", spec.toString(), "--master", "local[2]", "--json");
        assertThat(built.code()).as(built.err()).isZero();
        String older = "0123456789abcdef";
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir.resolve("runs/runs"))) {
            files = listing.filter(f -> f.toString().endsWith(".avro")).sorted().toList();
        }
        assertThat(files).hasSize(3);
        for (Path f : files) {
            List<TrainingRun> runs = RunFiles.read(f.toUri(), new org.apache.hadoop.conf.Configuration());
            runs.forEach(r -> r.getKey().setProtocolId(older));
            RunFiles.write(dir.resolve("runs/runs/older-" + f.getFileName()).toUri(), runs,
                    new org.apache.hadoop.conf.Configuration());
        }
        CliRun status = CliRun.of("status", "--spec", spec.toString(), "--json");
        assertThat(status.code()).as(status.err()).isZero();
        String today = status.json().get("protocolId").asText();
        assertThat(status.json().get("completed").asInt()).isEqualTo(3);
        assertThat(status.json().get("otherProtocols").get(older).asInt()).isEqualTo(3);

        StringWriter log = new StringWriter();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        WriterAppender capture = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%level %msg%n")
                .build(), null, log, "aggregate-capture", false, true);
        capture.start();
        logging.getRootLogger().addAppender(capture);
        CliRun aggregated;
        try {
            aggregated = CliRun.of("aggregate", "--runs", dir.resolve("runs").toString(), "--out",
                    dir.resolve("bench").toString(), "--master", "local[2]");
        } finally {
            logging.getRootLogger().removeAppender(capture);
            capture.stop();
        }
        assertThat(aggregated.code()).as(aggregated.err()).isZero();
        assertThat(aggregated.out()).contains("protocol " + today + " (this version's recipe)\n")
                .contains("left out 3 runs of protocol " + older + " (an older recipe)\n")
                .contains("runs-1: 2 rows");
        assertThat(log.toString()).contains("WARN aggregate: left out 3 runs of protocol " + older
                + " (an older recipe); the benchmark holds protocol " + today + "'s (this version's recipe); "
                + "--protocol " + older + " takes them");

        CliRun olderOnes = CliRun.of("aggregate", "--runs", dir.resolve("runs").toString(), "--out",
                dir.resolve("bench-older").toString(), "--protocol", older, "--master", "local[2]", "--json");
        assertThat(olderOnes.code()).as(olderOnes.err()).isZero();
        JsonNode p = olderOnes.json().get("protocols");
        assertThat(p.get("id").asText()).isEqualTo(older);
        assertThat(p.get("todaysRecipe").asBoolean()).isFalse();
        assertThat(p.get("leftOut")).hasSize(1);
        assertThat(p.get("leftOut").get(0).get("id").asText()).isEqualTo(today);
        assertThat(p.get("leftOut").get(0).get("runs").asInt()).isEqualTo(3);
        assertThat(olderOnes.json().get("tables").get("shortRuns").asInt()).isEqualTo(2);

        CliRun unknown = CliRun.of("aggregate", "--runs", dir.resolve("runs").toString(), "--out",
                dir.resolve("bench-x").toString(), "--protocol", "fedcba9876543210", "--master", "local[2]");
        assertThat(unknown.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(unknown.err()).contains("protocol fedcba9876543210: ").contains("holds no run of it")
                .contains(older + " (3 runs, an older recipe)").contains(today + " (3 runs, this version's recipe)");
        assertThat(dir.resolve("bench-x")).doesNotExist();
    }
}
