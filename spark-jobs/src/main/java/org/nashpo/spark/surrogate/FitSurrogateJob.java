package org.nashpo.spark.surrogate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkCounts;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkManifest;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.schema.SurrogatePrediction;
import org.nashpo.worker.io.Staged;

/**
 * fit-surrogate: reads a benchmark's short- and long-schedule runs tables (the files its manifest lists),
 * fits a regressor of the long-schedule seed-mean final test accuracy of a configuration on its
 * {@link Features}, chooses between gradient-boosted trees and a random forest by cross-validation over
 * architecture classes ({@link ClassFolds}), and publishes into the benchmark {@code predictions-{L}}
 * (a {@code SurrogatePrediction} row per cellcode × learning rate × batch size of the benchmark's grid
 * whose class has short-schedule results there) and {@code surrogate/} (the fitted MLlib pipeline under
 * {@code model/}, {@code metrics.json}); then rewrites the manifest.
 *
 * <p>A configuration's features are those of the cellcode its class was trained as, so equivalent
 * cellcodes (one network function) get one prediction, as the original benchmark's 200-epoch table
 * keyed by class.
 */
public final class FitSurrogateJob {

    static final String SURROGATE_TABLE = "surrogate";
    static final String MODEL = "model";
    static final String METRICS = "metrics.json";
    static final String PREDICTIONS_FILE = "part-00000.avro";
    private static final String JOB_GROUP = "nashpo-fit-surrogate";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FitSurrogateJob() {
    }

    /**
     * What fit-surrogate reports.
     *
     * @param bench the benchmark directory
     * @param shortEpochs S, the schedule of the runs table the features come from
     * @param longEpochs L, the schedule predicted
     * @param trainingConfigurations configurations with both schedules' results: the fitting set
     * @param trainingClasses their classes
     * @param folds cross-validation folds over those classes
     * @param model the regressor chosen (lower held-out RMSE), fitted on every training configuration
     * @param candidates held-out metrics of each regressor, by {@link ModelKind#label()}
     * @param heldOut the chosen regressor's held-out metrics
     * @param baseline how well the short-schedule test accuracy alone ranks the long-schedule one, on the same configurations
     * @param predictions rows written to {@code predictions-{L}}
     * @param unpredicted configurations of the grid without a prediction
     * @param unpredictedByReason those, by {@link Unpredictable}
     * @param fitSeconds wall time of cross-validation and the final fit
     * @param seconds wall time of the job, from opening the benchmark to the staged tables (publishing is renames)
     */
    public record Summary(String bench, int shortEpochs, int longEpochs, int trainingConfigurations,
            int trainingClasses, int folds, String model, Map<String, HeldOutMetrics> candidates,
            HeldOutMetrics heldOut, HeldOutMetrics.Ranking baseline, long predictions, long unpredicted,
            Map<Unpredictable, Long> unpredictedByReason, double fitSeconds, double seconds) {
    }

    /**
     * {@code surrogate/metrics.json}: the summary, the inputs of the fit and, for every configuration
     * without a prediction, why.
     *
     * @param summary what the command reports
     * @param settings how the regressors were fitted
     * @param features the model's input columns, in order
     * @param classesWithoutShortRuns representatives of the classes without short-schedule runs (each
     *     cellcode of such a class, with every learning rate and batch size, is unpredicted)
     * @param missingShortConfigurations class × learning rate × batch size of the grid whose class has
     *     short-schedule runs but not at these hyperparameters
     * @param longWithoutShort long-schedule configurations not used for fitting: no short-schedule results
     */
    public record Report(Summary summary, SurrogateSettings settings, List<String> features,
            List<String> classesWithoutShortRuns, List<String> missingShortConfigurations,
            List<String> longWithoutShort) {
    }

    /** Fits, scores and publishes; bad input (no long schedule, malformed tables) is an {@link IllegalArgumentException}. */
    public static Summary run(SparkSession spark, URI bench, SurrogateSettings settings, boolean overwrite)
            throws IOException {
        return run(spark, bench, settings, overwrite, step -> { });
    }

    /** As {@link #run(SparkSession, URI, SurrogateSettings, boolean)}, telling {@code progress} each model fitted. */
    public static Summary run(SparkSession spark, URI bench, SurrogateSettings settings, boolean overwrite,
            java.util.function.Consumer<String> progress) throws IOException {
        long start = System.nanoTime();
        BenchmarkDirectory dir = BenchmarkDirectory.open(bench, spark.sparkContext().hadoopConfiguration());
        BenchmarkManifest manifest = dir.manifest();
        int shortEpochs = manifest.getShortEpochs();
        int longEpochs = manifest.getLongEpochs();
        if (longEpochs <= 0 || longEpochs == shortEpochs) {
            throw new IllegalArgumentException(dir.manifestPath() + ": longEpochs is " + longEpochs
                    + " (shortEpochs " + shortEpochs + "): the benchmark has no long schedule to fit a surrogate for");
        }
        String shortTable = "runs-" + shortEpochs;
        String longTable = "runs-" + longEpochs;
        String predictionsTable = "predictions-" + longEpochs;
        List<String> shortFiles = dir.tableFiles(shortTable);
        List<String> longFiles = dir.tableFiles(longTable);
        if (shortFiles.isEmpty() || longFiles.isEmpty()) {
            throw new IllegalArgumentException(dir.manifestPath() + ": lists no files of table "
                    + (shortFiles.isEmpty() ? shortTable : longTable) + "; fit-surrogate needs trained runs of both "
                    + "schedules (" + shortTable + " and " + longTable + ")");
        }
        for (String table : List.of(predictionsTable, SURROGATE_TABLE)) {
            if (!overwrite && dir.holds(table)) {
                throw new IllegalArgumentException(new Path(dir.root(), table) + ": exists already; pass --overwrite "
                        + "to replace the benchmark's " + table);
            }
        }

        spark.sparkContext().setJobGroup(JOB_GROUP, "fit-surrogate " + bench, false);
        try {
            return fit(spark, bench, dir, settings, new Tables(shortTable, longTable, predictionsTable, shortFiles,
                    longFiles), start, progress);
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    /** The tables fit-surrogate reads and writes: names and the files the manifest lists. */
    private record Tables(String shortTable, String longTable, String predictionsTable, List<String> shortFiles,
            List<String> longFiles) {
    }

    /**
     * The fit, step by step: read the two schedules' seed means, join them into the training set, assign folds,
     * cross-validate each regressor and choose, fit the chosen one on everything, predict every class
     * configuration with short-schedule results, expand the predictions to every cellcode, write the staged
     * tables and publish them with the manifest.
     */
    private static Summary fit(SparkSession spark, URI bench, BenchmarkDirectory dir, SurrogateSettings settings,
            Tables tables, long start, java.util.function.Consumer<String> progress) throws IOException {
        BenchmarkManifest manifest = dir.manifest();
        SearchSpace space = Manifests.searchSpace(manifest);
        Features features = new Features(space, NetworkShape.BENCHMARK.withFamily(Manifests.family(manifest))
                .withDataset(Manifests.dataset(manifest)));
        Map<ScheduleMean.Key, ScheduleMean> shortMeans = readMeans(spark, space, tables.shortFiles(),
                tables.shortTable(), manifest.getShortEpochs());
        Map<ScheduleMean.Key, ScheduleMean> longMeans = readMeans(spark, space, tables.longFiles(),
                tables.longTable(), manifest.getLongEpochs());
        TrainingSet training = join(bench, tables, shortMeans, longMeans, settings);

        long fitStart = System.nanoTime();
        Fitted fitted = crossValidateAndFit(spark, features, training, settings, progress);
        double fitSeconds = (System.nanoTime() - fitStart) / 1e9;

        Grid grid = new Grid(space, manifest.getLearningRates().stream().sorted().toList(),
                manifest.getBatchSizes().stream().sorted().toList(), manifest.getLongEpochs());
        ClassPredictions byClass = predict(spark, features, fitted.model(), grid, shortMeans);
        Expanded expanded = expand(grid, byClass);

        Staged predictionsStaged = dir.stage(tables.predictionsTable());
        Staged surrogateStaged = dir.stage(SURROGATE_TABLE);
        Summary summary;
        try {
            writePredictions(dir, new Path(predictionsStaged.path(), PREDICTIONS_FILE), expanded.predictions(),
                    syncMarker(manifest, tables.shortTable(), tables.longTable(), settings));
            fitted.model().write().save(new Path(surrogateStaged.path(), MODEL).toString());
            summary = new Summary(bench.toString(), manifest.getShortEpochs(), manifest.getLongEpochs(),
                    training.keys().size(), training.classes().size(), settings.folds(), fitted.chosen().label(),
                    fitted.candidates(), fitted.candidates().get(fitted.chosen().label()),
                    HeldOutMetrics.Ranking.of(training.shortTest(), training.labels()), expanded.predictions().size(),
                    expanded.unpredicted(), expanded.unpredictedByReason(), fitSeconds,
                    (System.nanoTime() - start) / 1e9);
            Report report = new Report(summary, settings, features.names(), List.copyOf(byClass.classesWithout()),
                    List.copyOf(byClass.missingShort()), List.copyOf(training.longWithoutShort()));
            try (OutputStream out = dir.fileSystem().create(new Path(surrogateStaged.path(), METRICS), false)) {
                JSON.writeValue(out, report);
            }
        } catch (IOException | RuntimeException e) {
            // nothing half-written stays behind: the staging directories hold all that was written
            predictionsStaged.abandon();
            surrogateStaged.abandon();
            throw e;
        }
        publish(spark, dir, manifest, tables, predictionsStaged, surrogateStaged, expanded, fitted.chosen(), settings);
        return summary;
    }

    /**
     * The fitting set: the configurations with both schedules' results, in a fixed order (Spark's partitions,
     * and so the forest's bootstrap samples, follow it), with their labels and folds over classes.
     */
    private record TrainingSet(List<ScheduleMean.Key> keys, List<String> longWithoutShort, Set<String> classes,
            Map<String, Integer> fold, double[] labels, double[] shortTest, List<ScheduleMean> shortSchedule) {
    }

    private static TrainingSet join(URI bench, Tables tables, Map<ScheduleMean.Key, ScheduleMean> shortMeans,
            Map<ScheduleMean.Key, ScheduleMean> longMeans, SurrogateSettings settings) {
        List<ScheduleMean.Key> keys = new ArrayList<>();
        List<String> longWithoutShort = new ArrayList<>();
        for (ScheduleMean.Key key : longMeans.keySet().stream().sorted(ScheduleMean.Key.ORDER).toList()) {
            if (shortMeans.containsKey(key)) {
                keys.add(key);
            } else {
                longWithoutShort.add(key.toString());
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(bench + ": no configuration has results in both " + tables.shortTable()
                    + " and " + tables.longTable() + "; nothing to fit on");
        }
        Set<String> classes = new HashSet<>();
        keys.forEach(k -> classes.add(k.cellClassId()));
        double[] labels = new double[keys.size()];
        double[] shortTest = new double[keys.size()];
        List<ScheduleMean> shortSchedule = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            ScheduleMean s = shortMeans.get(keys.get(i));
            labels[i] = longMeans.get(keys.get(i)).testAccuracy();
            shortTest[i] = s.testAccuracy();
            shortSchedule.add(s);
        }
        return new TrainingSet(keys, longWithoutShort, classes,
                ClassFolds.assign(classes, settings.folds(), settings.seed()), labels, shortTest, shortSchedule);
    }

    /** The regressors' held-out metrics, the one chosen (lower held-out RMSE) and it fitted on every configuration. */
    private record Fitted(Map<String, HeldOutMetrics> candidates, ModelKind chosen, PipelineModel model) {
    }

    private static Fitted crossValidateAndFit(SparkSession spark, Features features, TrainingSet set,
            SurrogateSettings settings, java.util.function.Consumer<String> progress) {
        StructType schema = featureSchema(features);
        List<Row> rows = new ArrayList<>(set.keys().size());
        for (int i = 0; i < set.keys().size(); i++) {
            rows.add(row(features, i, set.fold().get(set.keys().get(i).cellClassId()), set.labels()[i],
                    set.shortSchedule().get(i)));
        }
        Dataset<Row> training = spark.createDataFrame(rows, schema).cache();
        Map<String, HeldOutMetrics> candidates = new LinkedHashMap<>();
        ModelKind chosen = null;
        for (ModelKind kind : ModelKind.values()) {
            spark.sparkContext().setJobDescription("fit-surrogate: cross-validate " + kind.label());
            double[] predicted = new double[set.labels().length];
            for (int f = 0; f < settings.folds(); f++) {
                progress.accept(String.format("cross-validating %s: fold %d of %d (%d configurations)", kind.label(),
                        f + 1, settings.folds(), set.labels().length));
                PipelineModel model = pipeline(features, kind, settings).fit(training.filter(col("fold").notEqual(f)));
                for (Row r : model.transform(training.filter(col("fold").equalTo(f)))
                        .select("row", ModelKind.PREDICTION).collectAsList()) {
                    predicted[r.getInt(0)] = r.getDouble(1);
                }
            }
            HeldOutMetrics metrics = HeldOutMetrics.of(predicted, set.labels());
            candidates.put(kind.label(), metrics);
            if (chosen == null || metrics.rmse() < candidates.get(chosen.label()).rmse()) {
                chosen = kind;
            }
        }
        spark.sparkContext().setJobDescription("fit-surrogate: fit " + chosen.label() + " on every configuration");
        progress.accept(String.format("fitting %s (the better held-out RMSE) on all %d configurations", chosen.label(),
                set.labels().length));
        PipelineModel model = pipeline(features, chosen, settings).fit(training);
        training.unpersist();
        return new Fitted(candidates, chosen, model);
    }

    /** What is predicted: every cellcode of the space × the benchmark's learning rates × batch sizes. */
    private record Grid(SearchSpace space, List<Double> lrs, List<Integer> batches, int longEpochs) {
    }

    /**
     * The prediction of each class × lr × batch size with short-schedule results there, and what has none: the
     * classes without short-schedule runs, the class configurations missing at some hyperparameters.
     */
    private record ClassPredictions(Map<ScheduleMean.Key, Float> predicted, Set<String> classesWithShortRuns,
            TreeSet<String> classesWithout, List<String> missingShort) {
    }

    private static ClassPredictions predict(SparkSession spark, Features features, PipelineModel model, Grid grid,
            Map<ScheduleMean.Key, ScheduleMean> shortMeans) {
        Set<String> classesWithShortRuns = new HashSet<>();
        shortMeans.keySet().forEach(k -> classesWithShortRuns.add(k.cellClassId()));
        List<Row> toPredict = new ArrayList<>();
        List<String> missingShort = new ArrayList<>();
        TreeSet<String> classesWithout = new TreeSet<>();
        for (CellClass cls : grid.space().classes()) {
            if (!classesWithShortRuns.contains(cls.id())) {
                classesWithout.add(cls.representative().toString());
                continue;
            }
            for (double lr : grid.lrs()) {
                for (int batch : grid.batches()) {
                    ScheduleMean s = shortMeans.get(new ScheduleMean.Key(cls.id(), lr, batch));
                    if (s == null) {
                        missingShort.add(new ScheduleMean.Key(cls.id(), lr, batch).toString());
                    } else {
                        toPredict.add(row(features, toPredict.size(), -1, Double.NaN, s));
                    }
                }
            }
        }
        spark.sparkContext().setJobDescription("fit-surrogate: predict " + toPredict.size() + " class configurations");
        Map<ScheduleMean.Key, Float> predicted = new HashMap<>();
        for (Row r : model.transform(spark.createDataFrame(toPredict, featureSchema(features)))
                .select("cellClassId", "learningRate", "batchSize", ModelKind.PREDICTION).collectAsList()) {
            // an accuracy is a percentage; boosting may step slightly past the labels' range
            double p = Math.max(0, Math.min(100, r.getDouble(3)));
            predicted.put(new ScheduleMean.Key(r.getString(0), r.getDouble(1), r.getInt(2)), (float) p);
        }
        return new ClassPredictions(predicted, classesWithShortRuns, classesWithout, missingShort);
    }

    /** A prediction row per cellcode whose class has one, and how many configurations have none, by reason. */
    private record Expanded(List<SurrogatePrediction> predictions, Map<Unpredictable, Long> unpredictedByReason) {
        long unpredicted() {
            return unpredictedByReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static Expanded expand(Grid grid, ClassPredictions byClass) {
        List<SurrogatePrediction> predictions = new ArrayList<>();
        Map<Unpredictable, Long> unpredictedByReason = new EnumMap<>(Unpredictable.class);
        for (Unpredictable u : Unpredictable.values()) {
            unpredictedByReason.put(u, 0L);
        }
        for (CellCode cell : grid.space().cells()) {
            String classId = grid.space().classOf(cell).id();
            for (double lr : grid.lrs()) {
                for (int batch : grid.batches()) {
                    Float p = byClass.predicted().get(new ScheduleMean.Key(classId, lr, batch));
                    if (p != null) {
                        predictions.add(SurrogatePrediction.newBuilder().setCellcode(cell.toString())
                                .setLearningRate(lr).setBatchSize(batch).setEpochs(grid.longEpochs())
                                .setMeanTestAccuracy(p).build());
                    } else {
                        unpredictedByReason.merge(byClass.classesWithShortRuns().contains(classId)
                                ? Unpredictable.NO_SHORT_RUNS_AT_THESE_HYPERPARAMETERS
                                : Unpredictable.CLASS_WITHOUT_SHORT_RUNS, 1L, Long::sum);
                    }
                }
            }
        }
        return new Expanded(predictions, unpredictedByReason);
    }

    private static void publish(SparkSession spark, BenchmarkDirectory dir, BenchmarkManifest manifest, Tables tables,
            Staged predictionsStaged, Staged surrogateStaged, Expanded expanded, ModelKind chosen,
            SurrogateSettings settings) throws IOException {
        BenchmarkCounts counts = BenchmarkCounts.newBuilder(manifest.getCounts())
                .setPredictions(expanded.predictions().size()).build();
        Map<String, String> provenance = new TreeMap<>();
        provenance.put("surrogate.fittedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        provenance.put("surrogate.model", chosen.label());
        provenance.put("surrogate.settings", settings.toString());
        provenance.put("surrogate.sparkVersion", spark.version());
        dir.publish(List.of(predictionsStaged, surrogateStaged), Map.of(tables.predictionsTable() + "/"
                + PREDICTIONS_FILE, (long) expanded.predictions().size()), counts, provenance);
    }

    private static Pipeline pipeline(Features features, ModelKind kind, SurrogateSettings settings) {
        VectorAssembler assembler = new VectorAssembler().setInputCols(features.names().toArray(String[]::new))
                .setOutputCol(ModelKind.FEATURES);
        return new Pipeline().setStages(new PipelineStage[] {assembler, kind.estimator(settings)});
    }

    private static StructType featureSchema(Features features) {
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField("row", DataTypes.IntegerType, false),
                DataTypes.createStructField("fold", DataTypes.IntegerType, false),
                DataTypes.createStructField("cellClassId", DataTypes.StringType, false),
                DataTypes.createStructField("learningRate", DataTypes.DoubleType, false),
                DataTypes.createStructField("batchSize", DataTypes.IntegerType, false),
                DataTypes.createStructField(ModelKind.LABEL, DataTypes.DoubleType, false)));
        for (String name : features.names()) {
            fields.add(DataTypes.createStructField(name, DataTypes.DoubleType, false));
        }
        return DataTypes.createStructType(fields);
    }

    private static Row row(Features features, int index, int fold, double label, ScheduleMean shortSchedule) {
        double[] x = features.of(features.space().parse(shortSchedule.cellcode()), shortSchedule);
        Object[] values = new Object[6 + x.length];
        values[0] = index;
        values[1] = fold;
        values[2] = shortSchedule.cellClassId();
        values[3] = shortSchedule.learningRate();
        values[4] = shortSchedule.batchSize();
        values[5] = label;
        for (int i = 0; i < x.length; i++) {
            values[6 + i] = x[i];
        }
        return RowFactory.create(values);
    }

    /** Seed means of the final epoch per class × lr × batch size of one runs table, checked against the space. */
    static Map<ScheduleMean.Key, ScheduleMean> readMeans(SparkSession spark, SearchSpace space, List<String> files,
            String table, int epochs) {
        spark.sparkContext().setJobDescription("fit-surrogate: seed means of " + table);
        Dataset<Row> runs = spark.read().format("avro")
                .option("avroSchema", BenchmarkRun.getClassSchema().toString())
                .load(files.toArray(String[]::new));
        List<Row> rows = runs.groupBy(col("cellClassId"), col("learningRate"), col("batchSize"))
                .agg(min("cellcode").as("cellcode"), max("cellcode").as("maxCellcode"),
                        countDistinct(col("seed")).as("seeds"), count(lit(1)).as("rows"),
                        min("epochs").as("minEpochs"), max("epochs").as("maxEpochs"),
                        avg(element_at(col("testAccuracy"), -1)).as("testAccuracy"),
                        avg(element_at(col("validAccuracy"), -1)).as("validAccuracy"),
                        avg(element_at(col("trainLoss"), -1)).as("trainLoss"))
                .collectAsList();
        Map<ScheduleMean.Key, ScheduleMean> means = new HashMap<>();
        for (Row r : rows) {
            String classId = r.getAs("cellClassId");
            String where = table + ": class " + classId + " lr=" + r.getAs("learningRate") + " batch="
                    + r.getAs("batchSize") + ": ";
            int minEpochs = r.getAs("minEpochs");
            int maxEpochs = r.getAs("maxEpochs");
            if (minEpochs != epochs || maxEpochs != epochs) {
                throw new IllegalArgumentException(where + "rows with epochs " + minEpochs + ".." + maxEpochs
                        + "; the table's schedule is " + epochs + " epochs");
            }
            long seeds = r.getAs("seeds");
            long count = r.getAs("rows");
            if (seeds != count) {
                throw new IllegalArgumentException(where + count + " rows for " + seeds + " seeds; each seed must "
                        + "have exactly one row");
            }
            CellClass cls;
            try {
                cls = space.classById(classId);
                for (String code : List.of(r.<String>getAs("cellcode"), r.<String>getAs("maxCellcode"))) {
                    if (!space.classOf(space.parse(code)).id().equals(classId)) {
                        throw new IllegalArgumentException("cellcode " + code + " is not in this class");
                    }
                }
                ScheduleMean mean = new ScheduleMean(cls.id(), r.getAs("cellcode"), r.getAs("learningRate"),
                        r.getAs("batchSize"), (int) seeds, r.getAs("testAccuracy"), r.getAs("validAccuracy"),
                        r.getAs("trainLoss"));
                means.put(mean.key(), mean);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
        }
        return means;
    }

    private static void writePredictions(BenchmarkDirectory dir, Path file, List<SurrogatePrediction> rows,
            byte[] sync) throws IOException {
        try (DataFileWriter<SurrogatePrediction> writer =
                new DataFileWriter<>(new SpecificDatumWriter<>(SurrogatePrediction.class))) {
            writer.create(SurrogatePrediction.getClassSchema(), dir.fileSystem().create(file, false), sync);
            for (SurrogatePrediction p : rows) {
                writer.append(p);
            }
        }
    }

    /** Avro's sync marker from the inputs, so equal inputs and settings give byte-equal prediction files. */
    private static byte[] syncMarker(BenchmarkManifest manifest, String shortTable, String longTable,
            SurrogateSettings settings) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        for (BenchmarkFile f : manifest.getFiles()) {
            if (f.getTable().equals(shortTable) || f.getTable().equals(longTable)) {
                digest.update(f.getSha256().toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        digest.update(settings.toString().getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(digest.digest(), 16);
    }
}
