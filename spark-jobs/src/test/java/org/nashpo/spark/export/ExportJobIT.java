package org.nashpo.spark.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.nashpo.schema.RunStatus;
import org.nashpo.schema.SurrogatePrediction;
import org.nashpo.spark.aggregate.AggregateJob;
import org.nashpo.spark.aggregate.AggregatePlan;
import org.nashpo.spark.aggregate.SyntheticRuns;
import org.nashpo.spark.aggregate.TableFiles;
import org.nashpo.spark.construct.ConstructJob;
import org.nashpo.spark.testing.MiniHdfs;
import org.nashpo.spark.testing.PythonClients;
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
        JsonNode r = new ObjectMapper().readTree(PythonClients.run(base, LOAD_PICKLES, dir.toString()));

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
        JsonNode avg = new ObjectMapper().readTree(PythonClients.run(base, LOAD_PICKLES, dir.toString())).get("avg");
        assertThat(avg.size()).isEqualTo(2);
        assertThat(avg.get(classId("0|00|333") + "|0.05|64").asDouble()).isEqualTo(10.5);
        assertThat(avg.get(classId("0|10|210") + "|0.1|64").asDouble()).isEqualTo(71.25);
    }

    /**
     * What pyarrow, DuckDB and pandas read from each table's Parquet file (columns and rows, in file order, every
     * value as JSON: a float32 as the double it is, a null or NaN as null), and whether pandas reads its CSV as
     * the same table (columns, shape, values: numbers to 1e-6 relative, the CSV writing floats in decimal).
     */
    private static final String READ_TABLES = """
            import json, math, sys
            import duckdb, numpy, pandas as pd, pyarrow.parquet as pq
            def plain(v):
                if hasattr(v, 'item'): v = v.item()
                if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)): return None
                return v
            def table(columns, rows): return {'columns': list(columns), 'rows': [[plain(v) for v in r] for r in rows]}
            d = sys.argv[1]
            result = {}
            for name in sys.argv[2:]:
                f = d + '/' + name + '.parquet'
                a = pq.read_table(f)
                k = duckdb.connect().execute("SELECT * FROM read_parquet('" + f.replace("'", "''") + "')")
                k_columns = [c[0] for c in k.description]
                p = pd.read_parquet(f)
                texts = [c for c in p.columns if not pd.api.types.is_numeric_dtype(p[c])
                         and not pd.api.types.is_bool_dtype(p[c])]
                c = pd.read_csv(d + '/' + name + '.csv', dtype={t: str for t in texts})
                def same(x):
                    if pd.api.types.is_bool_dtype(p[x]): return bool((p[x] == c[x]).all())
                    if x in texts: return bool((p[x].astype(str) == c[x].astype(str)).all())
                    return bool(numpy.allclose(p[x].astype('float64'), c[x].astype('float64'), rtol=1e-6, atol=0,
                                               equal_nan=True))
                csv = list(c.columns) == list(p.columns) and c.shape == p.shape and all(same(x) for x in p.columns)
                result[name] = {
                    'pyarrow': table(a.column_names, [[r[x] for x in a.column_names] for r in a.to_pylist()]),
                    'duckdb': table(k_columns, k.fetchall()),
                    'pandas': table(p.columns, p.itertuples(index=False, name=None)),
                    'csvAsParquet': csv}
            print(json.dumps(result))
            """;

    @Test
    void parquetAndCsvAreTidyTablesOfEveryRunAndItsCurveReadAlikeByPyarrowDuckdbAndPandas() throws Exception {
        PythonClients.require(PythonClients.TABLE_CLIENTS);
        String parquet = hdfs.getURI() + "/exports/parquet";
        String csv = hdfs.getURI() + "/exports/csv";

        ExportJob.Summary p = export(predicted, ExportFormat.PARQUET, parquet);
        ExportJob.Summary c = export(predicted, ExportFormat.CSV, csv);

        assertThat(p.files()).containsExactly("curves.parquet", "predictions.parquet", "runs.parquet");
        assertThat(c.files()).containsExactly("curves.csv", "predictions.csv", "runs.csv");
        int runs = CELLS.size() * 2 * 2 + 1;
        int epochRows = CELLS.size() * 2 * 2 * 3 + 6;
        assertThat(p.rows()).isEqualTo(runs + epochRows + 3);
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

        Dataset<Row> curves = spark.read().parquet(parquet + "/curves.parquet");
        assertThat(curves.columns()).containsExactlyElementsOf(ExportJob.CURVE_COLUMNS);
        assertThat(curves.count()).isEqualTo(epochRows);
        List<Row> curve = curves.where("cellcode = '0|10|210' AND learning_rate = 0.05 AND seed = 222 AND epochs = 6")
                .collectAsList();
        assertThat(curve).extracting(r -> r.<Integer>getAs("epoch")).containsExactly(0, 1, 2, 3, 4, 5);
        for (Row e : curve) {
            int epoch = e.getAs("epoch");
            double acc = SyntheticRuns.testAccuracy("0|10|210", 0.05, 64, 222, epoch);
            assertThat(e.<Boolean>getAs("trained")).isTrue();
            assertThat(e.<Float>getAs("test_acc").doubleValue()).isCloseTo(acc, within(1e-3));
            assertThat(e.<Float>getAs("valid_acc").doubleValue()).isCloseTo(acc - 1, within(1e-3));
            assertThat(e.<Float>getAs("train_acc").doubleValue()).isCloseTo(acc + 1, within(1e-3));
            assertThat(e.<Float>getAs("train_loss").doubleValue()).isCloseTo(2.0 - epoch * 0.1, within(1e-5));
            assertThat(e.<Float>getAs("valid_loss").doubleValue()).isCloseTo(2.1 - epoch * 0.1, within(1e-5));
            assertThat(e.<Float>getAs("test_loss").doubleValue()).isCloseTo(2.2 - epoch * 0.1, within(1e-5));
            assertThat(e.<Float>getAs("train_time").doubleValue()).isEqualTo(SyntheticRuns.trainSeconds(64));
            assertThat(e.<Float>getAs("valid_time").doubleValue()).isEqualTo(2.0);
            assertThat(e.<Float>getAs("test_time").doubleValue()).isEqualTo(1.0);
            assertThat(e.<Float>getAs("train_eval_time").doubleValue()).isEqualTo(2.0);
            assertThat(e.<String>getAs("cell_class_id")).isEqualTo(classId("0|10|210"));
        }
        // a run's last epoch in curves is its row in runs
        for (String metric : List.of("train_acc", "valid_acc", "test_acc", "train_loss", "valid_loss", "test_loss")) {
            assertThat(curves.where("epoch = epochs - 1").orderBy("epochs", "cellcode", "learning_rate", "batch_size",
                    "seed").select(metric).collectAsList()).as(metric).isEqualTo(table.select(metric).collectAsList());
        }

        List<String> lines;
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(csv + "/runs.csv"))) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(lines.get(0)).isEqualTo(String.join(",", ExportJob.RUN_COLUMNS));
        assertThat(lines).hasSize(runs + 1);
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(csv + "/curves.csv"))) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(lines.get(0)).isEqualTo(String.join(",", ExportJob.CURVE_COLUMNS));
        assertThat(lines).hasSize(epochRows + 1);

        // the clients users have read every Parquet file as Spark does, and pandas reads each CSV as its Parquet
        Path dir = Files.createTempDirectory(base, "clients");
        List<String> tables = List.of("runs", "curves", "predictions");
        for (String name : tables) {
            Files.move(local(parquet, name + ".parquet"), dir.resolve(name + ".parquet"));
            Files.move(local(csv, name + ".csv"), dir.resolve(name + ".csv"));
        }
        List<String> args = new ArrayList<>(List.of(dir.toString()));
        args.addAll(tables);
        JsonNode read = new ObjectMapper().readTree(PythonClients.run(base, READ_TABLES, args.toArray(String[]::new)));
        Map<String, Integer> columns = Map.of("runs", ExportJob.RUN_COLUMNS.size(), "curves",
                ExportJob.CURVE_COLUMNS.size(), "predictions", ExportJob.PREDICTION_COLUMNS.size());
        Map<String, Integer> rows = Map.of("runs", runs, "curves", epochRows, "predictions", 3);
        for (String name : tables) {
            Dataset<Row> java = spark.read().parquet(parquet + "/" + name + ".parquet");
            List<List<Object>> javaRows = java.collectAsList().stream().map(ExportJobIT::plain).toList();
            assertThat(javaRows).as(name).hasSize(rows.get(name));
            assertThat(java.columns()).as(name).hasSize(columns.get(name));
            for (String client : PythonClients.TABLE_CLIENTS) {
                JsonNode t = read.get(name).get(client);
                List<String> names = new ArrayList<>();
                t.get("columns").forEach(n -> names.add(n.asText()));
                assertThat(names).as("%s read by %s", name, client).containsExactly(java.columns());
                List<List<Object>> clientRows = new ArrayList<>();
                t.get("rows").forEach(r -> clientRows.add(plain(r)));
                assertThat(clientRows).as("%s read by %s", name, client).isEqualTo(javaRows);
            }
            assertThat(read.get(name).get("csvAsParquet").asBoolean()).as("pandas reads %s.csv as %s.parquet", name,
                    name).isTrue();
        }
    }

    /** A row as comparable values: every number as a double (a float32 as the double it is), text, booleans, null. */
    private static List<Object> plain(Row row) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
            Object v = row.get(i);
            values.add(v instanceof Number n ? (Object) n.doubleValue() : v);
        }
        return values;
    }

    private static List<Object> plain(JsonNode row) {
        List<Object> values = new ArrayList<>();
        row.forEach(v -> values.add(v.isNull() ? null : v.isNumber() ? (Object) v.asDouble()
                : v.isBoolean() ? (Object) v.asBoolean() : v.asText()));
        return values;
    }

    @Test
    void curvesSayWhichEpochsADivergedRunTrained() throws Exception {
        String runs = hdfs.getURI() + "/construct-diverged";
        write(runs, "completed", SyntheticRuns.completed("0|10|210", 0.05, 64, 222, 3));
        write(runs, "diverged", SyntheticRuns.run("0|00|333", 0.05, 64, 222, 3, RunStatus.DIVERGED, 1,
                Instant.parse("2026-01-01T00:00:00Z")));
        String diverging = hdfs.getURI() + "/bench-diverged";
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        AggregateJob.run(sc, new AggregatePlan(runs, diverging, false, ConstructJob.hadoopProperties(sc.getConf())));
        String out = hdfs.getURI() + "/exports/diverged";

        export(diverging, ExportFormat.PARQUET, out);

        List<Row> curve = spark.read().parquet(out + "/curves.parquet").where("cellcode = '0|00|333'")
                .collectAsList();
        assertThat(curve).extracting(r -> r.<Integer>getAs("epoch")).containsExactly(0, 1, 2);
        assertThat(curve).extracting(r -> r.<Boolean>getAs("trained")).containsExactly(true, false, false);
        assertThat(curve.get(0).<Float>getAs("test_acc").doubleValue())
                .isCloseTo(SyntheticRuns.testAccuracy("0|00|333", 0.05, 64, 222, 0), within(1e-3));
        // the untrained epochs hold CIFAR-10's chance accuracy, as the format fills them
        assertThat(curve.get(2).<Float>getAs("test_acc").doubleValue()).isEqualTo(10.0);
        assertThat(spark.read().parquet(out + "/curves.parquet").where("cellcode = '0|10|210'").count()).isEqualTo(3);
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
