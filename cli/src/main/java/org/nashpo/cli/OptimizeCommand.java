package org.nashpo.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.nashpo.bench.experiment.Experiment;
import org.nashpo.bench.experiment.Optimize;
import org.nashpo.bench.optim.OptimizerProvider;
import org.nashpo.bench.optim.OptimizerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = {"Run the paper's optimizer experiment on a benchmark (docs/OPTIMIZERS.md): each algorithm "
                + "--runs times under a simulated budget, searching on 12-epoch valid accuracy; writes the "
                + "trajectories, a summary with Wilcoxon tests against the best, average ranks over time, plots "
                + "and report.html to --out. Progress goes to stderr.",
                "A name/nas searches cells only (learning rate and batch size fixed), name/hpo the learning rate "
                        + "and batch size only (cell fixed), for every algorithm but rs-rea and bohb-rea; the fixed "
                        + "part is --fixed or random per run.",
                "Your own optimizer runs beside the built-in ones in the same report (docs/OPTIMIZERS.md): implement "
                        + "org.nashpo.bench.optim.Optimizer (ask/tell) and OptimizerProvider (its name, one optimizer "
                        + "per run), name the provider's class in your jar's file%n"
                        + "  META-INF/services/org.nashpo.bench.optim.OptimizerProvider%n"
                        + "and put the jar on the class path after nashpo's:%n"
                        + "  NASHPO_CLASSPATH=your.jar bin/nashpo optimize --algorithms rs,rea,NAME ...%n"
                        + "(or java -cp with nashpo's jars, then yours). Its name then joins the names --algorithms "
                        + "takes."})
final class OptimizeCommand implements Callable<Integer> {

    /** The names {@code --algorithms} takes, for its help: the built-in ones, then those on the class path. */
    static final class AlgorithmNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<OptimizerProvider> installed;
            try {
                installed = installed();
            } catch (IllegalArgumentException e) {
                // the help still lists the built-in names; running the command reports the broken provider
                installed = List.of();
            }
            return OptimizerSpec.names(installed).iterator();
        }
    }

    /** The optimizer providers on the class path ({@link java.util.ServiceLoader}, the context class loader). */
    static List<OptimizerProvider> installed() {
        return OptimizerProvider.load(Thread.currentThread().getContextClassLoader());
    }

    @Option(names = "--bench", required = true, description = "A benchmark directory (manifest.json, runs-12/, predictions-200/).")
    private Path bench;

    @Option(names = "--algorithms", defaultValue = "all", completionCandidates = AlgorithmNames.class,
            description = "Comma-separated names among ${COMPLETION-CANDIDATES} (each also as name/nas or name/hpo), "
                    + "or all (the default: every built-in algorithm over the joint space, then rs/nas, rs/hpo, rea/nas, rea/hpo, "
                    + "then every optimizer of your own on the class path).")
    private String algorithms;

    @Option(names = "--runs", defaultValue = "" + Optimize.DEFAULT_RUNS, description = "Runs per algorithm (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--budget", defaultValue = "20000", description = "Simulated seconds per run (default: ${DEFAULT-VALUE}, the paper's).")
    private double budget;

    @Option(names = "--out", required = true, description = "Report directory to create (must not exist).")
    private Path out;

    @Option(names = "--seed", defaultValue = "" + Optimize.DEFAULT_SEED, description = "Experiment seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--threads", description = "Worker threads (default: the number of cores).")
    private Integer threads;

    @Option(names = "--fixed", paramLabel = "CELL,LR,BATCH",
            description = "For name/nas and name/hpo: the configuration whose other part stays fixed (default: random "
                    + "per run); the cell as a cellcode in the benchmark's space or a NAS-Bench-201 architecture string.")
    private String fixed;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Optional<Experiment.Fixed> fixedConfig = fixed == null ? Optional.empty()
                : Optional.of(Optimize.parseFixed(fixed));
        Experiment.Settings settings = new Experiment.Settings(Optimize.parseAlgorithms(algorithms, installed()), runs,
                budget, seed, threadCount, fixedConfig);
        PrintWriter err = spec.commandLine().getErr();
        Optimize.Result r = Optimize.run(bench, out, settings, new ProgressLine(err));
        return output.emit(spec.commandLine().getOut(), r, r.text());
    }

    /** Progress on stderr, at most about once a second, with an ETA. */
    private static final class ProgressLine implements Experiment.Progress {

        private final PrintWriter err;
        private final long start = System.nanoTime();
        /** The first line waits a second too: the first runs include opening and warming up. */
        private long lastPrinted = start;

        ProgressLine(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void update(int done, int total) {
            long now = System.nanoTime();
            if (done < total && now - lastPrinted < 1_000_000_000L) {
                return;
            }
            lastPrinted = now;
            double elapsed = (now - start) / 1e9;
            double eta = done == 0 ? Double.NaN : elapsed * (total - done) / done;
            err.println(String.format(Locale.ROOT, "optimize: %,d / %,d runs (%.0f%%), %.1f s, ETA %.0f s", done, total,
                    100.0 * done / total, elapsed, eta));
            err.flush();
        }
    }
}
