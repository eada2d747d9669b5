package org.nashpo.cli;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.nashpo.spark.construct.ConstructJob;
import org.nashpo.spark.surrogate.FitSurrogateJob;
import org.nashpo.spark.surrogate.HeldOutMetrics;
import org.nashpo.spark.surrogate.SurrogateSettings;
import org.nashpo.spark.surrogate.Unpredictable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "fit-surrogate", mixinStandardHelpOptions = true,
        description = "Fit the long-schedule surrogate of a benchmark (Spark MLlib gradient-boosted trees or random "
                + "forest, chosen by cross-validation over architecture classes), report its held-out R², RMSE, "
                + "Kendall τ and Spearman ρ next to the short-schedule baseline, and add predictions-{L} and "
                + "surrogate/ to the benchmark (docs/SURROGATE.md).")
final class FitSurrogateCommand implements Callable<Integer> {

    @Option(names = "--bench", required = true,
            description = "The benchmark directory (local path or URI), with runs tables of both schedules.")
    private String bench;

    @Option(names = "--master", description = "Spark master URL (default: spark-submit's, else local[*]).")
    private String master;

    @Option(names = "--folds", defaultValue = "" + SurrogateSettings.DEFAULT_FOLDS,
            description = "Cross-validation folds over architecture classes (default: ${DEFAULT-VALUE}).")
    private int folds;

    @Option(names = "--seed", defaultValue = "" + SurrogateSettings.DEFAULT_SEED,
            description = "Seed of the folds and of both ensembles (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--gbt-iterations", description = "Boosting iterations of the gradient-boosted trees (default: 100).")
    private Integer gbtIterations;

    @Option(names = "--forest-trees", description = "Trees of the random forest (default: 100).")
    private Integer forestTrees;

    @Option(names = "--overwrite", description = "Replace the benchmark's predictions and surrogate if it has them.")
    private boolean overwrite;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        SurrogateSettings defaults = SurrogateSettings.of(folds, seed);
        SurrogateSettings settings = new SurrogateSettings(folds, seed,
                gbtIterations != null ? gbtIterations : defaults.gbtIterations(), defaults.gbtDepth(),
                forestTrees != null ? forestTrees : defaults.forestTrees(), defaults.forestDepth());
        URI uri = Uris.of(bench, "--bench");
        SparkConf conf = SparkSetup.conf("nashpo fit-surrogate", master);
        Uris.requireInput(uri, "--bench", "manifest.json", Uris.BENCHMARK, ConstructJob.hadoopProperties(conf));
        FitSurrogateJob.Summary s;
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            var err = spec.commandLine().getErr();
            s = FitSurrogateJob.run(spark, uri, settings, overwrite, step -> {
                err.println("fit-surrogate: " + step);
                err.flush();
            });
        } finally {
            spark.stop();
        }
        return output.emit(spec.commandLine().getOut(), s, text(s));
    }

    private static List<String> text(FitSurrogateJob.Summary s) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("fit-surrogate %s: runs-%d results → runs-%d test accuracy", s.bench(), s.shortEpochs(),
                s.longEpochs()));
        lines.add(String.format("fitted on %,d configurations of %,d classes; held out by class in %d folds:",
                s.trainingConfigurations(), s.trainingClasses(), s.folds()));
        for (Map.Entry<String, HeldOutMetrics> e : s.candidates().entrySet()) {
            HeldOutMetrics m = e.getValue();
            lines.add(String.format("  %-14s R² %6.3f  RMSE %6.3f  τ %6.3f  ρ %6.3f%s", e.getKey(), m.r2(), m.rmse(),
                    m.kendallTau(), m.spearmanRho(), e.getKey().equals(s.model()) ? "  (chosen)" : ""));
        }
        lines.add(String.format("  %-14s                τ %6.3f  ρ %6.3f  (runs-%d test accuracy alone)", "baseline",
                s.baseline().kendallTau(), s.baseline().spearmanRho(), s.shortEpochs()));
        lines.add(String.format("predictions-%d: %,d configurations predicted, %,d not:", s.longEpochs(), s.predictions(),
                s.unpredicted()));
        for (Map.Entry<Unpredictable, Long> e : s.unpredictedByReason().entrySet()) {
            if (e.getValue() > 0) {
                lines.add(String.format("  %,9d  %s", e.getValue(), e.getKey().reason()));
            }
        }
        lines.add(String.format("fit %.1f s, total %.1f s; details in surrogate/metrics.json", s.fitSeconds(),
                s.seconds()));
        return lines;
    }
}
