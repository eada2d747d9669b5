package org.example;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.nashpo.bench.experiment.Experiment;
import org.nashpo.bench.experiment.Optimize;
import org.nashpo.bench.optim.OptimizerSpec;

/**
 * Runs {@link MutateBest} beside the built-in random search, REA, BOHB and ASNG through the experiment API, as
 * {@code nashpo optimize} runs them: the same runs, budget and seeds, one report with ranks and Wilcoxon tests.
 * {@code java org.example.CompareExample BENCH OUT [RUNS]} (OUT must not exist).
 */
public final class CompareExample {

    private CompareExample() {
    }

    public static void main(String[] args) {
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        run(Path.of(args[0]), Path.of(args[1]), runs).text().forEach(System.out::println);
    }

    /** {@code runs} runs of each under the paper's 20,000 s budget; the report goes to {@code out}. */
    public static Optimize.Result run(Path bench, Path out, int runs) {
        List<OptimizerSpec> algorithms = List.of(OptimizerSpec.parse("rs"), OptimizerSpec.parse("rea"),
                OptimizerSpec.parse("bohb"), OptimizerSpec.parse("asng"), OptimizerSpec.of(new MutateBestProvider()));
        Experiment.Settings settings = new Experiment.Settings(algorithms, runs, 20_000, 0,
                Runtime.getRuntime().availableProcessors(), Optional.empty());
        return Optimize.run(bench, out, settings, (done, total) -> { });
    }
}
