package org.nashpo.spark.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.schema.SurrogatePrediction;
import org.nashpo.spark.aggregate.AggregateJob;
import org.nashpo.spark.aggregate.AggregatePlan;
import org.nashpo.spark.aggregate.SyntheticRuns;
import org.nashpo.spark.aggregate.TableFiles;
import org.nashpo.spark.construct.ConstructJob;
import org.nashpo.spark.testing.MiniHdfs;
import org.nashpo.worker.io.RunFiles;
import org.nashpo.worker.io.RunStore;

/**
 * The export job on Spark local[2] over an in-process HDFS, from benchmarks the aggregate job built
 * of synthetic runs: 3 cells × 2 lrs × batch 64 × 2 seeds at 3 epochs, one cell × 1 lr × seed 222 at 6.
 */
class ExportJobIT {

    private static final List<String> CELLS = List.of("0|10|210", "0|00|333", "1|11|111");
    @TempDir
    static Path base;
    private static MiniDFSCluster hdfs;
    private static SparkSession spark;
    private static FileSystem fs;
    private static String bench;
    private static String predicted;

    @BeforeAll
    static void start() throws IOException {
        hdfs = MiniHdfs.start(base);
        fs = hdfs.getFileSystem();
        spark = SparkSession.builder().master("local[2]").appName("ExportJobIT")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.hadoop.fs.defaultFS", hdfs.getURI().toString())
                .getOrCreate();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String runs = hdfs.getURI() + "/construct";
        for (String cell : CELLS) {
            for (double lr : List.of(0.05, 0.1)) {
                for (int seed : List.of(222, 555)) {
                    write(runs, cell.replace('|', '_') + lr + "-" + seed,
                            SyntheticRuns.completed(cell, lr, 64, seed, 3));
                }
            }
        }
        write(runs, "long", SyntheticRuns.completed("0|10|210", 0.05, 64, 222, 6));
        bench = hdfs.getURI() + "/bench";
        AggregateJob.run(sc, new AggregatePlan(runs, bench, false, ConstructJob.hadoopProperties(sc.getConf())));
        predicted = hdfs.getURI() + "/predicted";
        AggregateJob.run(sc, new AggregatePlan(runs, predicted, false, ConstructJob.hadoopProperties(sc.getConf())));
        addPredictions(predicted);
    }

    private static void write(String runs, String name, org.nashpo.schema.TrainingRun run) {
        RunFiles.write(URI.create(runs + "/" + RunStore.RUNS + "/" + name + ".avro"), List.of(run),
                hdfs.getConfiguration(0));
    }

    /** What fit-surrogate does: publish a predictions-L table, then rewrite the manifest with it. */
    private static void addPredictions(String dir) throws IOException {
        BenchmarkManifest m = manifest(dir);
        List<byte[]> rows = new ArrayList<>();
        // two members of the zero class: the representative's prediction is the class's
        rows.add(TableFiles.encode(new SurrogatePrediction("0|00|333", 0.05, 64, 6, 10.5f)));
        rows.add(TableFiles.encode(new SurrogatePrediction("3|33|333", 0.05, 64, 6, 99f)));
        rows.add(TableFiles.encode(new SurrogatePrediction("0|10|210", 0.1, 64, 6, 71.25f)));
        BenchmarkFile file = TableFiles.writePart(Map.of("fs.defaultFS", hdfs.getURI().toString()), dir,
                "predictions-6", 0, SurrogatePrediction.getClassSchema().toString(), "test", rows.iterator());
        BenchmarkManifest updated = Manifests.withTable(m, "predictions-6", List.of(file));
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(dir + "/.manifest.json.tmp");
        try (OutputStream out = fs.create(tmp)) {
            Manifests.write(updated, out);
        }
        fs.delete(new org.apache.hadoop.fs.Path(dir + "/" + BenchmarkLayout.MANIFEST), false);
        fs.rename(tmp, new org.apache.hadoop.fs.Path(dir + "/" + BenchmarkLayout.MANIFEST));
    }

    private static BenchmarkManifest manifest(String dir) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(dir + "/" + BenchmarkLayout.MANIFEST))) {
            return Manifests.read(in, dir);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        MiniHdfs.stop(spark, hdfs);
    }

    private static ExportJob.Summary export(String from, ExportFormat format, String to) {
        return ExportJob.run(spark, new ExportPlan(from, format, to, false,
                Map.of("fs.defaultFS", hdfs.getURI().toString())));
    }

    private static Path local(String hdfsDir, String name) throws IOException {
        Path dir = Files.createTempDirectory(base, "local");
        fs.copyToLocalFile(new org.apache.hadoop.fs.Path(hdfsDir + "/" + name),
                new org.apache.hadoop.fs.Path(dir.resolve(name).toUri()));
        return dir.resolve(name);
    }

    private static String classId(String cell) {
        return SearchSpace.NAS_HPO_BENCH_2.classOf(SearchSpace.NAS_HPO_BENCH_2.parse(cell)).id();
    }

    /** Runs python3 with a script; a machine without python3 fails the test, saying so. */
    private static String python(String script, String... args) throws IOException, InterruptedException {
        Path file = Files.writeString(Files.createTempFile(base, "check", ".py"), script);
        List<String> command = new ArrayList<>(List.of("python3", file.toString()));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("python3 is needed to check that the original API's Python loads the pickles, and it "
                    + "could not be started: " + e.getMessage());
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python3 output: %s", output).isZero();
        return output;
    }

    private static final String LOAD_PICKLES = """
            import json, pickle, sys
            d = sys.argv[1]
            with open(d + '/bench12.pkl', 'rb') as f: b = pickle.load(f)
            with open(d + '/cellinfo.pkl', 'rb') as f: c = pickle.load(f)
            with open(d + '/avgaccs200.pkl', 'rb') as f: a = pickle.load(f)
            def name(k): return '|'.join(str(x) for x in k)
            print(json.dumps({
              'metrics': sorted(b.keys()),
              'keyTypes': sorted({' '.join(type(x).__name__ for x in k) for m in b for k in b[m]}),
              'sameKeys': all(set(b[m].keys()) == set(b['lr'].keys()) for m in b),
              'values': {name(k): {m: b[m][k] for m in b} for k in b['lr']},
              'cells': len(c['hash']),
              'hash': {k: v for k, v in c['hash'].items() if k in ('0|10|210', '3|33|333', '0|00|333')},
              'avg': {name(k): v for k, v in a['avg_acc'].items()},
              'avgKeyTypes': sorted({' '.join(type(x).__name__ for x in k) for k in a['avg_acc']}),
            }))
            """;

    @Test
    void thePicklesLoadInPythonWithTheOriginalApisLayout() throws Exception {
        String out = hdfs.getURI() + "/exports/pickles";

        ExportJob.Summary s = export(bench, ExportFormat.NASHPOBENCH2, out);

        assertThat(s.files()).containsExactly("avgaccs200.pkl", "bench12.pkl", "cellinfo.pkl");
        Path dir = Files.createTempDirectory(base, "pickles");
        for (String name : s.files()) {
            Files.move(local(out, name), dir.resolve(name));
        }
        JsonNode r = new ObjectMapper().readTree(python(LOAD_PICKLES, dir.toString()));

        List<String> metrics = new ArrayList<>();
        r.get("metrics").forEach(m -> metrics.add(m.asText()));
        assertThat(metrics).hasSize(3 * 3 * 2 + 6)
                .contains("train_acc_0", "valid_acc_2", "test_acc_2", "train_time_0", "test_time_2",
                        "total_train_time", "total_trainval_time", "total_test_time", "lr", "batch_size", "seed")
                .doesNotContain("test_acc_3");
        assertThat(r.get("keyTypes").toString()).isEqualTo("[\"str float int int\"]");
        assertThat(r.get("sameKeys").asBoolean()).isTrue();
        assertThat(r.get("values").size()).isEqualTo(CELLS.size() * 2 * 2);
        JsonNode v = r.get("values").get(classId("0|10|210") + "|0.05|64|555");
        assertThat(v.get("test_acc_2").asDouble())
                .isCloseTo(SyntheticRuns.testAccuracy("0|10|210", 0.05, 64, 555, 2), within(1e-3));
        assertThat(v.get("valid_acc_0").asDouble())
                .isCloseTo(SyntheticRuns.testAccuracy("0|10|210", 0.05, 64, 555, 0) - 1, within(1e-3));
        assertThat(v.get("train_time_1").asDouble()).isEqualTo(SyntheticRuns.trainSeconds(64));
        assertThat(v.get("total_train_time").asDouble()).isEqualTo(3 * SyntheticRuns.trainSeconds(64));
        assertThat(v.get("total_trainval_time").asDouble()).isEqualTo(3 * SyntheticRuns.trainSeconds(64) + 3 * 2);
        assertThat(v.get("lr").asDouble()).isEqualTo(0.05);
        assertThat(v.get("batch_size").asInt()).isEqualTo(64);
        assertThat(v.get("seed").asInt()).isEqualTo(555);

        assertThat(r.get("cells").asInt()).isEqualTo(4096);
        assertThat(r.get("hash").get("3|33|333").asText()).isEqualTo(classId("0|00|333"));
        assertThat(r.get("hash").get("0|10|210").asText()).isEqualTo(classId("0|10|210"));
        // no predictions: the long schedule's trained runs, mean over their seeds (one here)
        assertThat(r.get("avgKeyTypes").toString()).isEqualTo("[\"str float int\"]");
        assertThat(r.get("avg").size()).isEqualTo(1);
        assertThat(r.get("avg").get(classId("0|10|210") + "|0.05|64").asDouble())
                .isCloseTo(SyntheticRuns.testAccuracy("0|10|210", 0.05, 64, 222, 5), within(1e-3));
    }

    @Test
    void avgaccs200HoldsThePredictionsWithTheClassRepresentativesOne() throws Exception {
        String out = hdfs.getURI() + "/exports/predicted-pickles";

        export(predicted, ExportFormat.NASHPOBENCH2, out);

        Path dir = Files.createTempDirectory(base, "predicted");
        for (String name : List.of("bench12.pkl", "cellinfo.pkl", "avgaccs200.pkl")) {
            Files.move(local(out, name), dir.resolve(name));
        }
        JsonNode avg = new ObjectMapper().readTree(python(LOAD_PICKLES, dir.toString())).get("avg");
        assertThat(avg.size()).isEqualTo(2);
        assertThat(avg.get(classId("0|00|333") + "|0.05|64").asDouble()).isEqualTo(10.5);
        assertThat(avg.get(classId("0|10|210") + "|0.1|64").asDouble()).isEqualTo(71.25);
    }

    @Test
    void parquetAndCsvAreTidyTablesOfEveryRunAndTheCsvHasAHeader() throws Exception {
        String parquet = hdfs.getURI() + "/exports/parquet";
        String csv = hdfs.getURI() + "/exports/csv";

        ExportJob.Summary p = export(predicted, ExportFormat.PARQUET, parquet);
        ExportJob.Summary c = export(predicted, ExportFormat.CSV, csv);

        assertThat(p.files()).containsExactly("predictions.parquet", "runs.parquet");
        assertThat(c.files()).containsExactly("predictions.csv", "runs.csv");
        int runs = CELLS.size() * 2 * 2 + 1;
        Dataset<Row> table = spark.read().parquet(parquet + "/runs.parquet");
        assertThat(table.columns()).containsExactlyElementsOf(ExportJob.RUN_COLUMNS);
        assertThat(table.count()).isEqualTo(runs);
        Row row = table.where("cellcode = '0|10|210' AND learning_rate = 0.1 AND seed = 222 AND epochs = 3").first();
        assertThat(row.<Float>getAs("test_acc").doubleValue())
                .isCloseTo(SyntheticRuns.testAccuracy("0|10|210", 0.1, 64, 222, 2), within(1e-3));
        assertThat(row.<Boolean>getAs("diverged")).isFalse();
        // 3 epochs × 2 s of train-set evaluation (SyntheticRuns), in no other total
        assertThat(row.<Float>getAs("total_train_eval_time").doubleValue()).isEqualTo(6.0);
        assertThat(row.<Float>getAs("total_trainval_time").doubleValue()).isCloseTo(3 * SyntheticRuns.trainSeconds(64)
                + 3 * 2, within(1e-3));
        assertThat(row.<String>getAs("cell_class_id")).isEqualTo(classId("0|10|210"));
        assertThat(table.where("epochs = 6").count()).isEqualTo(1);
        assertThat(spark.read().parquet(parquet + "/predictions.parquet").count()).isEqualTo(3);

        List<String> lines;
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(csv + "/runs.csv"))) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(lines.get(0)).isEqualTo(String.join(",", ExportJob.RUN_COLUMNS));
        assertThat(lines).hasSize(runs + 1);

        // pandas, where it is installed, reads both as the same table
        boolean pandas = new ProcessBuilder("python3", "-c", "import pandas").start().waitFor() == 0;
        if (pandas) {
            Path dir = Files.createTempDirectory(base, "pandas");
            Files.move(local(parquet, "runs.parquet"), dir.resolve("runs.parquet"));
            Files.move(local(csv, "runs.csv"), dir.resolve("runs.csv"));
            String shapes = python("""
                    import sys, pandas as pd
                    p = pd.read_parquet(sys.argv[1] + '/runs.parquet'); c = pd.read_csv(sys.argv[1] + '/runs.csv')
                    print(p.shape, c.shape, list(p.columns) == list(c.columns))
                    """, dir.toString());
            int columns = ExportJob.RUN_COLUMNS.size();
            assertThat(shapes.trim()).isEqualTo("(" + runs + ", " + columns + ") (" + runs + ", " + columns + ") True");
        }
    }

    @Test
    void avroCopiesTheTablesWithTheirSchemasAndAnExistingOutputIsKept() throws Exception {
        String out = hdfs.getURI() + "/exports/avro";

        ExportJob.Summary s = export(predicted, ExportFormat.AVRO, out);

        BenchmarkManifest m = manifest(predicted);
        List<String> expected = new ArrayList<>(m.getFiles().stream().map(BenchmarkFile::getPath).toList());
        expected.addAll(List.of("manifest.json", "schemas/BenchmarkClass.avsc", "schemas/BenchmarkConfiguration.avsc",
                "schemas/BenchmarkRun.avsc", "schemas/SurrogatePrediction.avsc"));
        assertThat(s.files()).containsExactlyInAnyOrderElementsOf(expected);
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(out + "/schemas/BenchmarkRun.avsc"))) {
            assertThat(new Schema.Parser().parse(in)).isEqualTo(BenchmarkRun.getClassSchema());
        }
        for (BenchmarkFile f : m.getFiles()) {
            try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(out + "/" + f.getPath()))) {
                assertThat(Manifests.sha256(in)).isEqualTo(f.getSha256());
            }
        }

        assertThatThrownBy(() -> export(predicted, ExportFormat.AVRO, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> export(hdfs.getURI() + "/nothing", ExportFormat.CSV, hdfs.getURI() + "/exports/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no manifest.json");
        assertThat(fs.exists(new org.apache.hadoop.fs.Path(hdfs.getURI() + "/exports/x"))).isFalse();
        assertThat(fs.listStatus(new org.apache.hadoop.fs.Path(hdfs.getURI() + "/exports")))
                .noneMatch(st -> st.getPath().getName().startsWith("."));
    }
}
