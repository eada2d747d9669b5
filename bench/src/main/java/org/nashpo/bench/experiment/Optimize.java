package org.nashpo.bench.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.nashpo.bench.optim.OptimizerSpec;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.space.CellCode;

/**
 * {@code nashpo optimize}: opens a benchmark, runs the experiment and writes its report; the result
 * is the summary {@code --json} prints.
 */
public final class Optimize {

    public static final int DEFAULT_RUNS = 500;
    public static final long DEFAULT_SEED = 0;

    private Optimize() {
    }

    /**
     * The summary.
     *
     * @param benchmark the benchmark directory
     * @param out the report directory
     * @param runs runs per algorithm
     * @param budgetSeconds simulated seconds per run
     * @param seed the experiment's seed
     * @param threads worker threads
     * @param openSeconds wall time to open the benchmark
     * @param wallSeconds wall time of the runs
     * @param reportSeconds wall time to summarise and write the report
     * @param regretReference what regret is measured against
     * @param reference the best accuracies of the benchmark
     * @param best the algorithm with the least mean final 12-epoch regret
     * @param algorithms per algorithm, in the order asked
     * @param files the report's files
     */
    public record Result(String benchmark, String out, int runs, double budgetSeconds, long seed, int threads,
            double openSeconds, double wallSeconds, double reportSeconds, String regretReference, Reference reference, String best,
            List<AlgorithmSummary> algorithms, List<String> files) {

        public Result {
            algorithms = List.copyOf(algorithms);
            files = List.copyOf(files);
        }

        public List<String> text() {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "benchmark  %s (opened in %.2f s)", benchmark, openSeconds));
            lines.add(String.format(Locale.ROOT, "runs       %d per algorithm, budget %,.0f s, seed %d, threads %d: %.1f s, "
                    + "report %.1f s", runs, budgetSeconds, seed, threads, wallSeconds, reportSeconds));
            lines.add("regret     " + regretReference);
            lines.add(String.format(Locale.ROOT, "%-12s %8s %17s %8s %14s %14s %6s %10s", "algorithm", "evals",
                    "regret12 mean±se", "median", "test12 %", "test200 %", "rank", "p vs best"));
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

    /** The algorithms a comma-separated list names; {@code all} is {@link OptimizerSpec#all()}. */
    public static List<OptimizerSpec> parseAlgorithms(String text) {
        Objects.requireNonNull(text, "algorithms");
        if (text.trim().equalsIgnoreCase("all")) {
            return OptimizerSpec.all();
        }
        Set<OptimizerSpec> specs = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("algorithms: \"" + text + "\" has an empty name; expected a "
                        + "comma-separated list such as rs,rea,bohb or all");
            }
            if (!specs.add(OptimizerSpec.parse(part.trim()))) {
                throw new IllegalArgumentException("algorithms: \"" + part.trim() + "\" is named twice in \"" + text + "\"");
            }
        }
        return List.copyOf(specs);
    }

    /** Parses {@code CELLCODE,LR,BATCH} (e.g. {@code 0|10|210,0.1,64}) into a configuration index. */
    public static int parseFixed(String text) {
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
        return ConfigIndex.indexOf(new Configuration(CellCode.parse(parts[0].trim()), lr, batch));
    }

    public static Result run(Path bench, Path out, Experiment.Settings settings, Experiment.Progress progress) {
        if (Files.exists(out)) {
            throw new IllegalArgumentException("out: " + out + " already exists; give a directory to create");
        }
        long start = System.nanoTime();
        Benchmark benchmark = Benchmark.open(bench);
        double openSeconds = (System.nanoTime() - start) / 1e9;
        ExperimentResult result = Experiment.run(benchmark, settings, progress);
        long reportStart = System.nanoTime();
        List<String> files = Report.write(out, result, bench.toString());
        double reportSeconds = (System.nanoTime() - reportStart) / 1e9;
        return new Result(bench.toString(), out.toString(), settings.runs(), settings.budgetSeconds(), settings.seed(),
                settings.threads(), openSeconds, result.wallSeconds(), reportSeconds,
                "12-epoch test accuracy of the best-valid configuration against the best 12-epoch test accuracy in the "
                        + "benchmark at the run's seed; 200-epoch regret against the best 200-epoch accuracy",
                result.reference(), result.label(result.best()), result.summaries(), files);
    }
}
