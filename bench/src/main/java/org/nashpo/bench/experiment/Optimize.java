package org.nashpo.bench.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.nashpo.bench.format.BenchmarkFiles;
import org.nashpo.bench.optim.OptimizerProvider;
import org.nashpo.bench.optim.OptimizerSpec;
import org.nashpo.bench.query.Benchmark;

/**
 * {@code nashpo optimize}: opens a benchmark, runs the experiment and writes its report; the result
 * is the summary {@code --json} prints.
 */
public final class Optimize {

    public static final int DEFAULT_RUNS = 500;
    public static final long DEFAULT_SEED = 0;
    /** How an optimizer of one's own becomes a name {@code --algorithms} takes. */
    private static final String PROVIDERS_HINT = "An optimizer of your own is known by its name once a jar listing its "
            + "OptimizerProvider in META-INF/services/org.nashpo.bench.optim.OptimizerProvider is on the class path "
            + "(bin/nashpo: NASHPO_CLASSPATH=your.jar; docs/OPTIMIZERS.md).";

    private Optimize() {
    }

    /**
     * The summary.
     *
     * @param benchmark the benchmark directory
     * @param space the space the runs searched, in words
     * @param out the report directory
     * @param runs runs per algorithm
     * @param budgetSeconds simulated seconds per run
     * @param seed the experiment's seed
     * @param threads worker threads
     * @param openSeconds wall time to open the benchmark and check its files against the manifest
     * @param wallSeconds wall time of the runs
     * @param reportSeconds wall time to summarise and write the report
     * @param shortEpochs the benchmark's short schedule, the one runs search on
     * @param longEpochs its long schedule, the surrogate's (0: none)
     * @param synthetic whether the benchmark is synthetic (accuracies from a model, not training)
     * @param warning why the experiment says little on this benchmark (a space small enough to exhaust), or null
     * @param regretReference what regret is measured against
     * @param reference the best accuracies of the benchmark
     * @param best the algorithm with the least mean final short-schedule regret
     * @param algorithms per algorithm, in the order asked
     * @param files the report's files
     */
    public record Result(String benchmark, String space, String out, int runs, double budgetSeconds, long seed,
            int threads, double openSeconds, double wallSeconds, double reportSeconds, int shortEpochs, int longEpochs,
            boolean synthetic, String warning, String regretReference, Reference reference, String best,
            List<AlgorithmSummary> algorithms, List<String> files) {

        public Result {
            algorithms = List.copyOf(algorithms);
            files = List.copyOf(files);
        }

        public List<String> text() {
            List<String> lines = new ArrayList<>();
            if (warning != null) {
                lines.add("WARNING    " + warning);
            }
            if (synthetic) {
                lines.add("SYNTHETIC  " + Report.SYNTHETIC);
            }
            lines.add(String.format(Locale.ROOT, "benchmark  %s (opened and checked in %.2f s)", benchmark, openSeconds));
            lines.add("space      " + space);
            lines.add(String.format(Locale.ROOT, "runs       %d per algorithm, budget %,.0f s, seed %d, threads %d: %.1f s, "
                    + "report %.1f s", runs, budgetSeconds, seed, threads, wallSeconds, reportSeconds));
            lines.add("regret     " + regretReference);
            String l = Report.tag(longEpochs);
            lines.add(String.format(Locale.ROOT, "%-12s %8s %17s %8s %14s %14s %6s %10s", "algorithm", "evals",
                    "regret" + shortEpochs + " mean±se", "median", "test" + shortEpochs + " %", "test" + l + " %", "rank",
                    "p vs best"));
            for (AlgorithmSummary s : algorithms) {
                lines.add(String.format(Locale.ROOT, "%-12s %8.1f %9.3f ± %5.3f %8.3f %7.2f ± %4.2f %7.2f ± %4.2f %6.2f %10s",
                        s.algorithm(), s.meanEvaluations(), s.meanRegret12(), s.seRegret12(), s.medianRegret12(),
                        s.meanTest12(), s.seTest12(), s.meanTest200(), s.seTest200(), s.finalRank(),
                        s.algorithm().equals(best) ? "best" : String.format(Locale.ROOT, "%.3g", s.wilcoxonP())));
            }
            lines.add("report     " + Path.of(out).resolve(Report.HTML));
            return lines;
        }
    }

    /** The built-in algorithms a comma-separated list names; {@code all} is {@link OptimizerSpec#all()}. */
    public static List<OptimizerSpec> parseAlgorithms(String text) {
        return parseAlgorithms(text, List.of());
    }

    /**
     * The algorithms a comma-separated list names among the built-in ones and {@code providers} (those
     * {@link OptimizerProvider#load} found); {@code all} is {@link OptimizerSpec#all()} and then every
     * provider's over the joint space. An unknown name is an error naming {@code --algorithms} and every
     * name it takes.
     */
    public static List<OptimizerSpec> parseAlgorithms(String text, List<? extends OptimizerProvider> providers) {
        Objects.requireNonNull(text, "algorithms");
        if (text.trim().equalsIgnoreCase("all")) {
            List<OptimizerSpec> all = new ArrayList<>(OptimizerSpec.all());
            providers.forEach(p -> all.add(OptimizerSpec.of(p)));
            return List.copyOf(all);
        }
        Set<OptimizerSpec> specs = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("algorithms: \"" + text + "\" has an empty name; expected a "
                        + "comma-separated list such as rs,rea,bohb or all");
            }
            String name = part.split("/", 2)[0].trim();
            if (OptimizerSpec.find(name, providers).isEmpty()) {
                throw new IllegalArgumentException("--algorithms: \"" + name + "\" is not known; expected one of "
                        + String.join(", ", OptimizerSpec.names(providers)) + " (each also as NAME/nas or NAME/hpo), "
                        + "or all. " + PROVIDERS_HINT);
            }
            if (!specs.add(OptimizerSpec.parse(part.trim(), providers))) {
                throw new IllegalArgumentException("algorithms: \"" + part.trim() + "\" is named twice in \"" + text + "\"");
            }
        }
        return List.copyOf(specs);
    }

    /**
     * Parses {@code CELL,LR,BATCH} (e.g. {@code 0|10|210,0.1,64}; the cell a cellcode or a NAS-Bench-201
     * architecture string, read in the benchmark's space when the experiment runs).
     */
    public static Experiment.Fixed parseFixed(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("fixed: \"" + text + "\" must be CELLCODE,LR,BATCH such as 0|10|210,0.1,64");
        }
        double lr;
        int batch;
        try {
            lr = Double.parseDouble(parts[1].trim());
            batch = Integer.parseInt(parts[2].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fixed: \"" + text + "\" must be CELLCODE,LR,BATCH such as 0|10|210,0.1,64",
                    e);
        }
        return new Experiment.Fixed(parts[0].trim(), lr, batch);
    }

    public static Result run(Path bench, Path out, Experiment.Settings settings, Experiment.Progress progress) {
        if (Files.exists(out)) {
            throw new IllegalArgumentException("out: " + out + " already exists; give a directory to create");
        }
        long start = System.nanoTime();
        Benchmark benchmark = Benchmark.open(bench);
        // tables are uncompressed for a fast open, so a damaged byte would read as another accuracy: an experiment
        // of minutes checks them against the manifest first (a fraction of a second per 100 MB)
        List<String> damaged = BenchmarkFiles.verifyChecksums(bench, benchmark.manifest());
        if (!damaged.isEmpty()) {
            throw new IllegalArgumentException("benchmark " + bench + " is corrupt: " + String.join("; ", damaged)
                    + ". Build or copy it again (nashpo aggregate, synth-bench)");
        }
        double openSeconds = (System.nanoTime() - start) / 1e9;
        ExperimentResult result = Experiment.run(benchmark, settings, progress);
        long reportStart = System.nanoTime();
        List<String> files = Report.write(out, result, bench.toString());
        double reportSeconds = (System.nanoTime() - reportStart) / 1e9;
        return new Result(bench.toString(), result.spaceText(), out.toString(), settings.runs(),
                settings.budgetSeconds(), settings.seed(), settings.threads(), openSeconds, result.wallSeconds(),
                reportSeconds, result.shortEpochs(), result.longEpochs(), result.synthetic(),
                result.smallSpace().orElse(null), regretReference(result), result.reference(),
                result.label(result.best()), result.summaries(), files);
    }

    /** What regret is measured against, in the benchmark's schedules. */
    static String regretReference(ExperimentResult result) {
        int s = result.shortEpochs();
        int l = result.longEpochs();
        String text = s + "-epoch test accuracy of the best-valid configuration against the best " + s
                + "-epoch test accuracy in the benchmark at the run's seed";
        return l > 0 ? text + "; " + l + "-epoch regret against the best " + l + "-epoch accuracy the surrogate predicts"
                : text;
    }
}
