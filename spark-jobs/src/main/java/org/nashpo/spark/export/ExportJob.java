package org.nashpo.spark.export;

import static org.apache.spark.sql.functions.call_udf;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.format.Manifests;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkClass;
import org.nashpo.schema.BenchmarkConfiguration;
import org.nashpo.schema.BenchmarkFile;
import org.nashpo.schema.BenchmarkRun;
import org.nashpo.schema.SurrogatePrediction;
import org.nashpo.spark.aggregate.StagedDirectory;
import org.nashpo.spark.construct.ConstructPlan;

/**
 * Exports a benchmark directory (format 1 or 2) in one of the {@link ExportFormat}s to a directory
 * on any Hadoop FileSystem, published whole: written under a staging directory beside it, renamed
 * at the end.
 *
 * <p>The tidy tables (Parquet, CSV): {@code runs} has one row per configuration × seed × schedule, the runs of
 * the short and of the long schedule (column {@code epochs} tells them apart), with the metrics at
 * the schedule's last epoch and the totals; {@code curves} is the same runs long, one row per run × epoch with
 * every metric and time the run records per epoch (learning curves, for multi-fidelity methods).
 */
public final class ExportJob {

    /** The tidy table's columns, in order: names pandas users write without quoting. */
    public static final List<String> RUN_COLUMNS = List.of("cellcode", "cell_class_id", "learning_rate", "batch_size",
            "seed", "epochs", "epochs_completed", "diverged", "parameters", "multiply_adds", "train_acc", "valid_acc",
            "test_acc", "train_loss", "valid_loss", "test_loss", "total_train_time", "total_trainval_time",
            "total_test_time", "total_train_eval_time");
    /**
     * The per-epoch table's columns, in order: the run's key, the epoch (0 to epochs − 1, as the original API's
     * {@code valid_acc_<epoch>}), whether the run trained it (false where a diverged run's values are filled by
     * the format's rule), then every per-epoch metric and time.
     */
    public static final List<String> CURVE_COLUMNS = List.of("cellcode", "cell_class_id", "learning_rate",
            "batch_size", "seed", "epochs", "epoch", "trained", "train_acc", "valid_acc", "test_acc", "train_loss",
            "valid_loss", "test_loss", "train_time", "valid_time", "test_time", "train_eval_time");
    public static final List<String> PREDICTION_COLUMNS = List.of("cellcode", "cell_class_id", "learning_rate",
            "batch_size", "epochs", "mean_test_acc");

    private ExportJob() {
    }

    /**
     * @param files the files written, relative to {@code out}
     * @param rows rows exported (runs and their per-epoch rows, plus predictions where written)
     */
    public record Summary(String bench, String format, String out, List<String> files, long rows, double seconds) {
        public Summary {
            files = List.copyOf(files);
        }
    }

    public static Summary run(SparkSession spark, ExportPlan plan) {
        long start = System.nanoTime();
        Configuration conf = ConstructPlan.hadoopConfiguration(plan.hadoopProperties());
        BenchmarkSource source = BenchmarkSource.open(plan.bench(), conf);
        SearchSpace space = Manifests.searchSpace(source.manifest());
        if (plan.format() == ExportFormat.NASHPOBENCH2 && !space.equals(Pickles.SPACE)) {
            throw new IllegalArgumentException("--format " + plan.format().cliName() + ": the original API's pickles "
                    + "hold NAS-HPO-Bench-II's space (the 4,096 cellcodes of " + Pickles.SPACE + "), but benchmark "
                    + plan.bench() + " is of the space " + space + " (" + Manifests.family(source.manifest())
                    + " network); export it as parquet, csv or avro");
        }
        org.nashpo.core.data.Dataset dataset = Manifests.dataset(source.manifest());
        if (plan.format() == ExportFormat.NASHPOBENCH2 && dataset != org.nashpo.core.data.Dataset.CIFAR10) {
            throw new IllegalArgumentException("--format " + plan.format().cliName() + ": the original API's pickles "
                    + "hold NAS-HPO-Bench-II's CIFAR-10 results and do not say their data set, but benchmark "
                    + plan.bench() + " was trained on " + dataset + "; export it as parquet, csv or avro");
        }
        StagedDirectory out = StagedDirectory.begin(URI.create(plan.out()), conf, plan.overwrite(),
                StagedDirectory.Replaceable.ANY, "export");
        spark.sparkContext().setJobGroup("nashpo-export", "export " + plan.bench() + " as " + plan.format().cliName(),
                false);
        try {
            long rows = switch (plan.format()) {
                case PARQUET, CSV -> tidy(spark, source, space, plan.format(), out);
                case AVRO -> avro(source, out, conf);
                case NASHPOBENCH2 -> pickles(source, out);
            };
            List<String> files = listing(out.fileSystem(), out.staging(), "");
            out.publish();
            return new Summary(plan.bench(), plan.format().cliName(), out.target().toString(), files, rows,
                    (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            out.abandon();
            throw e;
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    /**
     * runs, their learning curves and predictions as tidy tables. Outside NAS-HPO-Bench-II's space and network, each row also names its cell
     * as NAS-Bench-201 does ({@code arch_str}), after the cellcode.
     */
    private static long tidy(SparkSession spark, BenchmarkSource source, SearchSpace space, ExportFormat format,
            StagedDirectory out) {
        boolean archStrings = !NetworkFamily.isNasHpoBench2(space, Manifests.family(source.manifest()));
        List<String> runFiles = new ArrayList<>(source.paths(source.runsTable()));
        if (source.longRunsTable() != null) {
            runFiles.addAll(source.paths(source.longRunsTable()));
        }
        String extension = format == ExportFormat.PARQUET ? ".parquet" : ".csv";
        Dataset<Row> records = withArchString(spark, space, spark.read().format("avro")
                .option("avroSchema", BenchmarkRun.getClassSchema().toString())
                .load(runFiles.toArray(String[]::new)), archStrings);
        Dataset<Row> runs = records
                .select(cellColumns(archStrings, col("cellClassId").as("cell_class_id"),
                        col("learningRate").as("learning_rate"), col("batchSize").as("batch_size"), col("seed"),
                        col("epochs"), col("epochsCompleted").as("epochs_completed"),
                        col("epochsCompleted").lt(col("epochs")).as("diverged"), col("parameters"),
                        col("multiplyAdds").as("multiply_adds"),
                        last("trainAccuracy", "train_acc"), last("validAccuracy", "valid_acc"),
                        last("testAccuracy", "test_acc"), last("trainLoss", "train_loss"),
                        last("validLoss", "valid_loss"), last("testLoss", "test_loss"),
                        col("totalTrainSeconds").as("total_train_time"),
                        col("totalTrainValidSeconds").as("total_trainval_time"),
                        col("totalTestSeconds").as("total_test_time"),
                        col("totalTrainEvalSeconds").as("total_train_eval_time")))
                .orderBy("epochs", "cellcode", "learning_rate", "batch_size", "seed");
        long rows = writeSingle(runs, format, out, "runs" + extension);
        rows += writeSingle(curves(records, archStrings), format, out, "curves" + extension);
        String predictions = source.predictionsTable();
        if (predictions != null && !source.files(predictions).isEmpty()) {
            Dataset<Row> p = spark.read().format("avro")
                    .option("avroSchema", SurrogatePrediction.getClassSchema().toString())
                    .load(source.paths(predictions).toArray(String[]::new));
            p = withArchString(spark, space, p, archStrings);
            rows += writeSingle(p.select(cellColumns(archStrings, classIdOf(spark, space, p).as("cell_class_id"),
                            col("learningRate").as("learning_rate"), col("batchSize").as("batch_size"), col("epochs"),
                            col("meanTestAccuracy").as("mean_test_acc")))
                    .orderBy("cellcode", "learning_rate", "batch_size"), format, out, "predictions" + extension);
        }
        return rows;
    }

    /** The runs long: one row per run × epoch, every array of the record read at that epoch. */
    private static Dataset<Row> curves(Dataset<Row> records, boolean archStrings) {
        Column epoch = col("epoch");
        return records.withColumn("epoch", explode(sequence(lit(0), col("epochs").minus(1))))
                .select(cellColumns(archStrings, col("cellClassId").as("cell_class_id"),
                        col("learningRate").as("learning_rate"), col("batchSize").as("batch_size"), col("seed"),
                        col("epochs"), epoch, epoch.lt(col("epochsCompleted")).as("trained"),
                        at("trainAccuracy", epoch, "train_acc"), at("validAccuracy", epoch, "valid_acc"),
                        at("testAccuracy", epoch, "test_acc"), at("trainLoss", epoch, "train_loss"),
                        at("validLoss", epoch, "valid_loss"), at("testLoss", epoch, "test_loss"),
                        at("trainSeconds", epoch, "train_time"), at("validSeconds", epoch, "valid_time"),
                        at("testSeconds", epoch, "test_time"), at("trainEvalSeconds", epoch, "train_eval_time")))
                .orderBy("epochs", "cellcode", "learning_rate", "batch_size", "seed", "epoch");
    }

    /** A series' value at a 0-based epoch; null where the series is (train-eval times before schema v3). */
    private static Column at(String series, Column epoch, String name) {
        return col(series).getItem(epoch).as(name);
    }

    private static Column last(String series, String name) {
        return element_at(col(series), -1).as(name);
    }

    /** The class id of each prediction's cellcode, from the benchmark's search space. */
    private static Column classIdOf(SparkSession spark, SearchSpace space, Dataset<Row> predictions) {
        spark.udf().register("nashpo_class_id", (UDF1<String, String>) code ->
                space.classOf(space.parse(code)).id(), DataTypes.StringType);
        return call_udf("nashpo_class_id", predictions.col("cellcode"));
    }

    /** The table with an {@code arch_str} column (the cellcode's NAS-Bench-201 architecture string), if asked. */
    private static Dataset<Row> withArchString(SparkSession spark, SearchSpace space, Dataset<Row> table,
            boolean archStrings) {
        if (!archStrings) {
            return table;
        }
        spark.udf().register("nashpo_arch_str", (UDF1<String, String>) code -> space.parse(code).nb201String(),
                DataTypes.StringType);
        return table.withColumn("arch_str", call_udf("nashpo_arch_str", table.col("cellcode")));
    }

    /** The cellcode (and its architecture string) first, then the other columns. */
    private static Column[] cellColumns(boolean archStrings, Column... rest) {
        List<Column> columns = new ArrayList<>();
        columns.add(col("cellcode"));
        if (archStrings) {
            columns.add(col("arch_str"));
        }
        columns.addAll(List.of(rest));
        return columns.toArray(Column[]::new);
    }

    /** Writes a table as one file {@code name} in the staging directory; returns its rows. */
    private static long writeSingle(Dataset<Row> table, ExportFormat format, StagedDirectory out, String name) {
        Path parts = new Path(out.staging(), "._" + name);
        Dataset<Row> one = table.coalesce(1);
        long rows = one.count();
        if (format == ExportFormat.PARQUET) {
            one.write().mode(SaveMode.ErrorIfExists).parquet(parts.toString());
        } else {
            one.write().mode(SaveMode.ErrorIfExists).option("header", "true").csv(parts.toString());
        }
        FileSystem fs = out.fileSystem();
        try {
            Path part = null;
            for (FileStatus f : fs.listStatus(parts)) {
                String n = f.getPath().getName();
                if (n.startsWith("part-")) {
                    if (part != null) {
                        throw new IllegalStateException("Spark wrote more than one part for " + name + " in " + parts);
                    }
                    part = f.getPath();
                }
            }
            if (part == null) {
                throw new IllegalStateException("Spark wrote no part for " + name + " in " + parts);
            }
            if (!fs.rename(part, new Path(out.staging(), name))) {
                throw new IOException("could not rename " + part + " to " + name);
            }
            fs.delete(parts, true);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + name + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /** The Avro tables as the manifest lists them, the manifest, and every record's schema. */
    private static long avro(BenchmarkSource source, StagedDirectory out, Configuration conf) {
        long rows = 0;
        try {
            for (BenchmarkFile f : source.manifest().getFiles()) {
                Path target = new Path(out.staging(), f.getPath());
                out.fileSystem().mkdirs(target.getParent());
                if (!FileUtil.copy(source.fileSystem(), new Path(source.root(), f.getPath()), out.fileSystem(), target,
                        false, conf)) {
                    throw new IOException("could not copy " + f.getPath());
                }
                if (f.getPath().endsWith(BenchmarkLayout.DATA_FILE_SUFFIX)) {
                    rows += f.getRecords();
                }
            }
            FileUtil.copy(source.fileSystem(), new Path(source.root(), BenchmarkLayout.MANIFEST), out.fileSystem(),
                    new Path(out.staging(), BenchmarkLayout.MANIFEST), false, conf);
            for (Schema schema : List.of(BenchmarkRun.getClassSchema(), SurrogatePrediction.getClassSchema(),
                    BenchmarkClass.getClassSchema(), BenchmarkConfiguration.getClassSchema())) {
                try (OutputStream o = out.fileSystem().create(new Path(new Path(out.staging(), "schemas"),
                        schema.getName() + ".avsc"), false)) {
                    String json = SchemaFormatter.format("json/pretty", schema);
                    o.write(json.getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + source.root() + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static long pickles(BenchmarkSource source, StagedDirectory out) {
        Pickles.Bench12 bench12 = new Pickles.Bench12(source.manifest().getShortEpochs());
        source.read(source.runsTable(), BenchmarkRun.class, bench12::add);
        Map<String, Map<Object, Object>> avg;
        String predictions = source.predictionsTable();
        if (predictions != null && !source.files(predictions).isEmpty()) {
            List<SurrogatePrediction> p = new ArrayList<>();
            source.read(predictions, SurrogatePrediction.class, p::add);
            avg = Pickles.averageFromPredictions(p);
        } else if (source.longRunsTable() != null) {
            List<BenchmarkRun> longRuns = new ArrayList<>();
            source.read(source.longRunsTable(), BenchmarkRun.class, longRuns::add);
            avg = Pickles.averageFromRuns(longRuns);
        } else {
            avg = Map.of("avg_acc", Map.of());
        }
        write(out, Pickles.BENCH, bench12.build());
        write(out, Pickles.CELLINFO, Pickles.cellinfo());
        write(out, Pickles.AVGACCS, avg);
        return bench12.runs();
    }

    private static void write(StagedDirectory out, String name, Object value) {
        Path file = new Path(out.staging(), name);
        try (OutputStream o = out.fileSystem().create(file, false)) {
            Pickles.write(value, o);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> listing(FileSystem fs, Path dir, String prefix) {
        List<String> files = new ArrayList<>();
        try {
            for (FileStatus f : fs.listStatus(dir)) {
                String name = prefix + f.getPath().getName();
                if (f.isDirectory()) {
                    files.addAll(listing(fs, f.getPath(), name + "/"));
                } else if (!f.getPath().getName().startsWith(".")) {
                    files.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir + ": " + e.getMessage(), e);
        }
        files.sort(null);
        return files;
    }
}
