package org.nashpo.spark.surrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.schema.SurrogatePrediction;
import org.nashpo.spark.testing.MiniHdfs;

/** fit-surrogate on Spark local[2], on benchmark directories written with a known truth. */
class FitSurrogateJobIT {

    /** NAS-HPO-Bench-II's features: the benchmarks here are of its space and network. */
    private static final Features FEATURES = new Features(SearchSpace.NAS_HPO_BENCH_2,
            org.nashpo.core.network.NetworkShape.BENCHMARK);

    /** Small ensembles: the known-truth problems have a few hundred configurations. */
    private static final SurrogateSettings SETTINGS = new SurrogateSettings(3, 1, 15, 4, 30, 6);
    private static SparkSession spark;
    private static MiniDFSCluster hdfs;
    @TempDir
    static Path base;

    @BeforeAll
    static void start() throws IOException {
        hdfs = MiniHdfs.start(base);
        spark = SparkSession.builder().master("local[2]").appName("FitSurrogateJobIT")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() throws Exception {
        MiniHdfs.stop(spark, hdfs);
    }

    private static FitSurrogateJob.Summary fit(KnownTruth truth, Path dir, SurrogateSettings settings)
            throws IOException {
        BenchFixture.write(dir, 3, 12, KnownTruth.LRS, KnownTruth.BATCHES, List.of(KnownTruth.SEED), truth.shortRuns,
                truth.longRuns);
        FitSurrogateJob.Summary s = FitSurrogateJob.run(spark, dir.toUri(), settings, false);
        System.out.printf("%s: model %s, held-out R² %.3f, RMSE %.3f, τ %.3f, ρ %.3f; candidates %s; "
                + "baseline τ %.3f, ρ %.3f; %d training configurations; fit %.1f s, job %.1f s%n", dir.getFileName(),
                s.model(), s.heldOut().r2(), s.heldOut().rmse(), s.heldOut().kendallTau(), s.heldOut().spearmanRho(),
                s.candidates(), s.baseline().kendallTau(), s.baseline().spearmanRho(), s.trainingConfigurations(),
                s.fitSeconds(), s.seconds());
        return s;
    }

    @Test
    void aSmoothTruthIsPredictedOnHeldOutClasses(@TempDir Path dir) throws IOException {
        FitSurrogateJob.Summary s = fit(new KnownTruth(KnownTruth.Truth.SMOOTH, 90, 60, 3, 12, 11), dir, SETTINGS);
        assertThat(s.trainingConfigurations()).isEqualTo(60 * 6);
        assertThat(s.trainingClasses()).isEqualTo(60);
        assertThat(s.candidates()).containsOnlyKeys("gbt", "random-forest");
        assertThat(s.heldOut().r2()).isGreaterThan(0.9);
        assertThat(s.heldOut().kendallTau()).isGreaterThan(0.8);
        assertThat(s.heldOut().spearmanRho()).isGreaterThan(0.9);
        // the chosen model is the one with the lower held-out error
        assertThat(s.heldOut().rmse()).isEqualTo(s.candidates().values().stream()
                .mapToDouble(HeldOutMetrics::rmse).min().orElseThrow());
    }

    @Test
    void pureNoiseIsNotPredicted(@TempDir Path dir) throws IOException {
        FitSurrogateJob.Summary s = fit(new KnownTruth(KnownTruth.Truth.NOISE, 90, 60, 3, 12, 12), dir, SETTINGS);
        assertThat(s.heldOut().r2()).isLessThan(0.1);
        assertThat(Math.abs(s.heldOut().kendallTau())).isLessThan(0.2);
        assertThat(Math.abs(s.baseline().kendallTau())).isLessThan(0.2);
    }

    @Test
    void predictionsCoverEveryCellcodeOfTheGridThatHasShortRunsAndTheManifestListsThem(@TempDir Path dir)
            throws IOException {
        KnownTruth truth = new KnownTruth(KnownTruth.Truth.SMOOTH, 10, 7, 2, 5, 13);
        // one class lacks one short-schedule configuration: its cells get no prediction there
        BenchmarkRun dropped = truth.shortRuns.remove(truth.shortRuns.size() - 1);
        BenchFixture.write(dir, 2, 5, KnownTruth.LRS, KnownTruth.BATCHES, List.of(KnownTruth.SEED), truth.shortRuns,
                truth.longRuns);
        SurrogateSettings settings = new SurrogateSettings(3, 5, 10, 3, 10, 4);
        FitSurrogateJob.Summary s = FitSurrogateJob.run(spark, dir.toUri(), settings, false);

        SearchSpace space = SearchSpace.NAS_HPO_BENCH_2;
        int hps = KnownTruth.LRS.size() * KnownTruth.BATCHES.size();
        List<CellClass> trained = truth.shortRuns.stream().map(r -> space.classById(r.getCellClassId())).distinct()
                .toList();
        int trainedCells = trained.stream().mapToInt(c -> c.members().size()).sum();
        int droppedCells = space.classById(dropped.getCellClassId()).members().size();
        assertThat(trained).hasSize(10);
        assertThat(s.predictions()).isEqualTo((long) trainedCells * hps - droppedCells);
        assertThat(s.unpredictedByReason()).containsEntry(Unpredictable.CLASS_WITHOUT_SHORT_RUNS,
                (long) (SearchSpace.NAS_HPO_BENCH_2.size() - trainedCells) * hps)
                .containsEntry(Unpredictable.NO_SHORT_RUNS_AT_THESE_HYPERPARAMETERS, (long) droppedCells);
        assertThat(s.predictions() + s.unpredicted()).isEqualTo((long) SearchSpace.NAS_HPO_BENCH_2.size() * hps);

        List<SurrogatePrediction> rows = readPredictions(dir.resolve("predictions-5/part-00000.avro"));
        assertThat(rows).hasSize((int) s.predictions());
        assertThat(rows).allSatisfy(p -> {
            assertThat(p.getEpochs()).isEqualTo(5);
            assertThat(p.getMeanTestAccuracy()).isBetween(0f, 100f);
        });
        // in the original API's order, and equivalent cellcodes share their class's prediction
        List<Integer> order = rows.stream().map(p -> SearchSpace.NAS_HPO_BENCH_2.parse(p.getCellcode()).index()).toList();
        assertThat(order).isSorted();
        Map<String, Float> byClassAndHp = new HashMap<>();
        for (SurrogatePrediction p : rows) {
            String key = space.classOf(SearchSpace.NAS_HPO_BENCH_2.parse(p.getCellcode())).id() + p.getLearningRate() + "/" + p.getBatchSize();
            Float previous = byClassAndHp.putIfAbsent(key, p.getMeanTestAccuracy());
            assertThat(previous == null || previous.equals(p.getMeanTestAccuracy())).as(key).isTrue();
        }
        assertThat(rows).noneMatch(p -> p.getCellcode().equals(dropped.getCellcode())
                && p.getLearningRate() == dropped.getLearningRate() && p.getBatchSize() == dropped.getBatchSize());

        // the manifest lists the new files with their sizes and checksums, and the new count
        BenchmarkManifest manifest = readManifest(dir);
        assertThat(manifest.getCounts().getPredictions()).isEqualTo(s.predictions());
        Map<String, BenchmarkFile> files = new HashMap<>();
        manifest.getFiles().forEach(f -> files.put(f.getPath(), f));
        assertThat(files).containsKeys("runs-2/part-00000.avro", "runs-5/part-00000.avro",
                "predictions-5/part-00000.avro", "surrogate/metrics.json");
        assertThat(files.get("predictions-5/part-00000.avro").getRecords()).isEqualTo(s.predictions());
        assertThat(files.keySet()).anyMatch(p -> p.startsWith("surrogate/model/"));
        for (BenchmarkFile f : manifest.getFiles()) {
            Path file = dir.resolve(f.getPath());
            assertThat(Files.size(file)).as(f.getPath()).isEqualTo(f.getBytes());
            try (InputStream in = Files.newInputStream(file)) {
                assertThat(Manifests.sha256(in)).as(f.getPath()).isEqualTo(f.getSha256());
            }
        }
        assertThat(manifest.getProvenance()).containsEntry("test", "BenchFixture")
                .containsEntry("surrogate.model", s.model());
        try (Stream<Path> left = Files.list(dir)) {
            // hidden: the checksum files Hadoop's local file system keeps beside what it writes
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
                    .containsExactlyInAnyOrder("manifest.json", "runs-2", "runs-5", "predictions-5", "surrogate");
        }

        // metrics.json says what was not predicted and why
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("surrogate/metrics.json").toFile());
        assertThat(metrics.at("/summary/model").asText()).isEqualTo(s.model());
        assertThat(metrics.get("features")).hasSize(FEATURES.names().size());
        assertThat(metrics.get("classesWithoutShortRuns")).hasSize(space.classes().size() - 10);
        assertThat(metrics.get("missingShortConfigurations")).hasSize(1);
        assertThat(metrics.get("missingShortConfigurations").get(0).asText()).contains(dropped.getCellClassId());
        boolean droppedHadLong = truth.longRuns.stream().anyMatch(r -> r.getCellClassId().equals(dropped.getCellClassId()));
        assertThat(metrics.get("longWithoutShort")).hasSize(droppedHadLong ? 1 : 0);

        // the stored model reproduces the stored predictions
        PipelineModel model = PipelineModel.load(dir.resolve("surrogate/model").toUri().toString());
        BenchmarkRun probe = truth.shortRuns.get(0);
        ScheduleMean mean = new ScheduleMean(probe.getCellClassId(), probe.getCellcode(), probe.getLearningRate(),
                probe.getBatchSize(), 1, last(probe.getTestAccuracy()), last(probe.getValidAccuracy()),
                last(probe.getTrainLoss()));
        double[] x = FEATURES.of(SearchSpace.NAS_HPO_BENCH_2.parse(probe.getCellcode()), mean);
        List<Object> values = new ArrayList<>();
        for (double v : x) {
            values.add(v);
        }
        Row row = org.apache.spark.sql.RowFactory.create(values.toArray());
        var schema = org.apache.spark.sql.types.DataTypes.createStructType(FEATURES.names().stream()
                .map(n -> org.apache.spark.sql.types.DataTypes.createStructField(n,
                        org.apache.spark.sql.types.DataTypes.DoubleType, false)).toList());
        double reloaded = model.transform(spark.createDataFrame(List.of(row), schema)).select("prediction")
                .first().getDouble(0);
        SurrogatePrediction stored = rows.stream().filter(p -> p.getCellcode().equals(probe.getCellcode())
                && p.getLearningRate() == probe.getLearningRate() && p.getBatchSize() == probe.getBatchSize())
                .findFirst().orElseThrow();
        assertThat(stored.getMeanTestAccuracy()).isEqualTo((float) Math.max(0, Math.min(100, reloaded)));

        // a second fit must be asked for; it replaces the tables and gives the same predictions
        assertThatThrownBy(() -> FitSurrogateJob.run(spark, dir.toUri(), settings, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("predictions-5")
                .hasMessageContaining("--overwrite");
        String before = files.get("predictions-5/part-00000.avro").getSha256();
        FitSurrogateJob.run(spark, dir.toUri(), settings, true);
        BenchmarkManifest again = readManifest(dir);
        assertThat(again.getFiles().stream().filter(f -> f.getTable().equals("predictions-5")))
                .singleElement().satisfies(f -> assertThat(f.getSha256()).isEqualTo(before));
        assertThat(again.getFiles()).hasSameSizeAs(manifest.getFiles());
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("_"));
        }
    }

    @Test
    void aBenchmarkOnHdfsGetsItsTablesAndManifestThere(@TempDir Path local) throws IOException {
        KnownTruth truth = new KnownTruth(KnownTruth.Truth.SMOOTH, 8, 6, 2, 5, 16);
        BenchFixture.write(local, 2, 5, KnownTruth.LRS, KnownTruth.BATCHES, List.of(KnownTruth.SEED), truth.shortRuns,
                truth.longRuns);
        FileSystem fs = hdfs.getFileSystem();
        org.apache.hadoop.fs.Path bench = new org.apache.hadoop.fs.Path(hdfs.getURI() + "/benchmarks/tiny");
        fs.mkdirs(bench.getParent());
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), bench);
        SurrogateSettings settings = new SurrogateSettings(3, 2, 5, 3, 5, 4);
        FitSurrogateJob.Summary first = FitSurrogateJob.run(spark, bench.toUri(), settings, false);
        FitSurrogateJob.Summary second = FitSurrogateJob.run(spark, bench.toUri(), settings, true);
        assertThat(second.predictions()).isEqualTo(first.predictions()).isPositive();

        BenchmarkManifest manifest;
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(bench, BenchmarkLayout.MANIFEST))) {
            manifest = Manifests.read(in, "hdfs manifest");
        }
        assertThat(manifest.getCounts().getPredictions()).isEqualTo(second.predictions());
        for (BenchmarkFile f : manifest.getFiles()) {
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(bench, f.getPath());
            assertThat(fs.getFileStatus(file).getLen()).as(f.getPath()).isEqualTo(f.getBytes());
        }
        assertThat(manifest.getFiles()).anyMatch(f -> f.getTable().equals("predictions-5"))
                .anyMatch(f -> f.getPath().equals("surrogate/metrics.json"));
        assertThat(fs.listStatus(bench)).noneMatch(st -> st.getPath().getName().startsWith("_"));
    }

    @Test
    void aBenchmarkWithoutALongScheduleIsBadInputAndNothingIsWritten(@TempDir Path dir) throws IOException {
        KnownTruth truth = new KnownTruth(KnownTruth.Truth.SMOOTH, 6, 0, 2, 5, 14);
        BenchFixture.write(dir, 2, 0, KnownTruth.LRS, KnownTruth.BATCHES, List.of(KnownTruth.SEED), truth.shortRuns,
                List.of());
        assertThatThrownBy(() -> FitSurrogateJob.run(spark, dir.toUri(), SETTINGS, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longEpochs is 0")
                .hasMessageContaining("manifest.json");

        Path other = dir.resolveSibling(dir.getFileName() + "-nolong");
        Files.createDirectories(other);
        BenchFixture.write(other, 2, 5, KnownTruth.LRS, KnownTruth.BATCHES, List.of(KnownTruth.SEED), truth.shortRuns,
                List.of());
        assertThatThrownBy(() -> FitSurrogateJob.run(spark, other.toUri(), SETTINGS, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs-5");

        Path few = dir.resolveSibling(dir.getFileName() + "-few");
        Files.createDirectories(few);
        KnownTruth two = new KnownTruth(KnownTruth.Truth.SMOOTH, 6, 2, 2, 5, 15);
        BenchFixture.write(few, 2, 5, KnownTruth.LRS, KnownTruth.BATCHES, List.of(KnownTruth.SEED), two.shortRuns,
                two.longRuns);
        assertThatThrownBy(() -> FitSurrogateJob.run(spark, few.toUri(), SETTINGS, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 folds need at least 3 classes");
        for (Path d : List.of(dir, other, few)) {
            try (Stream<Path> left = Files.list(d)) {
                assertThat(left.map(p -> p.getFileName().toString())).allMatch(n -> n.equals("manifest.json")
                        || n.startsWith("runs-") || n.startsWith(".manifest.json"));
            }
        }

        assertThatThrownBy(() -> FitSurrogateJob.run(spark, dir.resolve("missing").toUri(), SETTINGS, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("manifest.json: missing");
    }

    private static float last(List<Float> values) {
        return values.get(values.size() - 1);
    }

    private static BenchmarkManifest readManifest(Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve(BenchmarkLayout.MANIFEST))) {
            return Manifests.read(in, "manifest");
        }
    }

    private static List<SurrogatePrediction> readPredictions(Path file) throws IOException {
        List<SurrogatePrediction> rows = new ArrayList<>();
        try (DataFileReader<SurrogatePrediction> reader = new DataFileReader<>(file.toFile(),
                new SpecificDatumReader<>(SurrogatePrediction.class))) {
            reader.forEach(rows::add);
        }
        return rows;
    }
}
