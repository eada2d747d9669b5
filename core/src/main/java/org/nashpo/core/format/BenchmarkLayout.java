package org.nashpo.core.format;

import java.util.List;
import org.nashpo.core.data.Dataset;

/**
 * Names and fixed values of a benchmark directory (docs/BENCHMARK-FORMAT.md), format 2:
 * <pre>
 * BENCH/manifest.json               the manifest (Avro JSON of BenchmarkManifest), written last
 * BENCH/runs-{S}/*.avro             BenchmarkRun rows of the short schedule: class × lr × batch size × seed
 * BENCH/runs-{L}/*.avro             optional: BenchmarkRun rows of the trained long-schedule runs
 * BENCH/predictions-{L}/*.avro      optional: SurrogatePrediction rows, one per configuration
 * BENCH/classes/*.avro              BenchmarkClass rows, one per class present
 * BENCH/configurations/*.avro       BenchmarkConfiguration rows, one per class × lr × batch size × schedule
 * BENCH/surrogate/                  optional: the fitted surrogate and its metrics.json
 * </pre>
 * A table is a directory of files of any name and number, as Spark writes them; the manifest lists
 * exactly the files that belong to the benchmark. Format 1 is the same layout with S = 12, L = 200
 * and only the runs and predictions tables. A directory of data sets holds no manifest of its own but one such
 * benchmark per data set, each in the subdirectory named by the data set ({@link #datasetDirectory}).
 */
public final class BenchmarkLayout {

    /** Bump when the layout or the meaning of a field changes; readers refuse unknown versions. */
    public static final int FORMAT_VERSION = 2;
    /** Every format version readers still open. */
    public static final List<Integer> READABLE_VERSIONS = List.of(1, FORMAT_VERSION);
    public static final String MANIFEST = "manifest.json";
    /** The runs table of the published benchmark's 12-epoch schedule: {@code runsTable(12)}. */
    public static final String RUNS_TABLE = "runs-12";
    /** The predictions table of the published benchmark's 200-epoch schedule: {@code predictionsTable(200)}. */
    public static final String PREDICTIONS_TABLE = "predictions-200";
    public static final String CLASSES_TABLE = "classes";
    public static final String CONFIGURATIONS_TABLE = "configurations";
    /** fit-surrogate's model and metrics.json. */
    public static final String SURROGATE_TABLE = "surrogate";
    public static final String DATA_FILE_SUFFIX = ".avro";
    /** Schedule length of the published benchmark's runs table (format 1's only one). */
    public static final int SHORT_EPOCHS = 12;
    /** Schedule length the published benchmark's predictions table predicts. */
    public static final int LONG_EPOCHS = 200;
    /**
     * Accuracy (percent) recorded for the epochs a diverged run on CIFAR-10 did not train: a network whose weights
     * became NaN predicts one class, which is right on a tenth of CIFAR-10's balanced splits.
     */
    public static final float CHANCE_ACCURACY = 10f;
    /** Loss recorded for those epochs: the cross-entropy of a uniform guess over 10 classes, ln 10. */
    public static final float CHANCE_LOSS = (float) Math.log(10);

    private BenchmarkLayout() {
    }

    /** {@link #CHANCE_ACCURACY} on a data set of K classes: 100 / K percent (10 on CIFAR-10). */
    public static float chanceAccuracy(Dataset dataset) {
        return 100f / dataset.classes();
    }

    /** {@link #CHANCE_LOSS} on a data set of K classes: ln K (ln 10 on CIFAR-10). */
    public static float chanceLoss(Dataset dataset) {
        return (float) Math.log(dataset.classes());
    }

    /**
     * The subdirectory of a directory of data sets that holds the benchmark of one ({@code BENCH/cifar100}): its
     * spec name.
     */
    public static String datasetDirectory(Dataset dataset) {
        return dataset.specName();
    }

    /** The table of BenchmarkRun rows trained for {@code epochs} epochs: {@code runs-{epochs}}. */
    public static String runsTable(int epochs) {
        return "runs-" + requireEpochs(epochs);
    }

    /** The table of SurrogatePrediction rows for a schedule of {@code epochs}: {@code predictions-{epochs}}. */
    public static String predictionsTable(int epochs) {
        return "predictions-" + requireEpochs(epochs);
    }

    private static int requireEpochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs: must be ≥ 1, was " + epochs);
        }
        return epochs;
    }

    /**
     * Whether a file in a table directory is data: Avro files, not the hidden or underscore files
     * Spark and Hadoop leave beside them ({@code _SUCCESS}, {@code .part-0.avro.crc}).
     */
    public static boolean isDataFile(String fileName) {
        return fileName.endsWith(DATA_FILE_SUFFIX) && !fileName.startsWith(".") && !fileName.startsWith("_");
    }
}
