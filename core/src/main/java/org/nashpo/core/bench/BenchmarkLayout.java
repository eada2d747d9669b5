package org.nashpo.core.bench;

/**
 * Names and fixed values of a benchmark directory (docs/BENCHMARK-FORMAT.md):
 * <pre>
 * BENCH/manifest.json               the manifest (Avro JSON of BenchmarkManifest)
 * BENCH/runs-12/*.avro              BenchmarkRun rows: class × lr × batch size × seed
 * BENCH/predictions-200/*.avro      SurrogatePrediction rows: one per configuration
 * </pre>
 * A table is a directory of Avro container files of any name and number, as Spark writes them; the
 * manifest lists exactly the files that belong to the benchmark.
 */
public final class BenchmarkLayout {

    /** Bump when the layout or the meaning of a field changes; readers refuse unknown versions. */
    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST = "manifest.json";
    public static final String RUNS_TABLE = "runs-12";
    public static final String PREDICTIONS_TABLE = "predictions-200";
    public static final String DATA_FILE_SUFFIX = ".avro";
    /** Schedule length of the runs table. */
    public static final int SHORT_EPOCHS = 12;
    /** Schedule length the predictions table predicts. */
    public static final int LONG_EPOCHS = 200;
    /**
     * Accuracy (percent) recorded for the epochs a diverged run did not train: a network whose weights
     * became NaN predicts one class, which is right on a tenth of CIFAR-10's balanced splits.
     */
    public static final float CHANCE_ACCURACY = 10f;
    /** Loss recorded for those epochs: the cross-entropy of a uniform guess over 10 classes, ln 10. */
    public static final float CHANCE_LOSS = (float) Math.log(10);

    private BenchmarkLayout() {
    }

    /**
     * Whether a file in a table directory is data: Avro files, not the hidden or underscore files
     * Spark and Hadoop leave beside them ({@code _SUCCESS}, {@code .part-0.avro.crc}).
     */
    public static boolean isDataFile(String fileName) {
        return fileName.endsWith(DATA_FILE_SUFFIX) && !fileName.startsWith(".") && !fileName.startsWith("_");
    }
}
