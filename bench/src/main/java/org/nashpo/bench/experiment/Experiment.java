package org.nashpo.bench.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.nashpo.bench.optim.Optimizer;
import org.nashpo.bench.optim.OptimizerRun;
import org.nashpo.bench.optim.OptimizerSpec;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;
import org.nashpo.bench.query.Session;
import org.nashpo.bench.synth.SyntheticBenchmark;
import org.nashpo.core.format.BenchmarkLayout;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.space.SearchSpace;

/**
 * Runs the paper's experiment (PROTOCOL.md §5): each algorithm {@code runs} times under a simulated
 * budget, on a benchmark shared read-only by a pool of threads; each run has its own {@link Session}
 * and its own generator. The algorithms search the benchmark's {@link BenchmarkSpace} (in its cell
 * space, whatever its operations). Run r reads the benchmark's training seed {@code seeds[r mod n]}
 * (222, 555, 888 in the published one), so runs of equal number are paired across algorithms. Its
 * generator is seeded from (experiment seed, algorithm label, r): results do not depend on the number
 * of threads or the order runs finish.
 */
public final class Experiment {

    /**
     * What to run.
     *
     * @param algorithms the algorithms, each once (by name): built-in ones ({@link OptimizerSpec#parse}) and
     *     any others ({@link OptimizerSpec#of}), compared in one report
     * @param runs runs per algorithm (≥ 1)
     * @param budgetSeconds simulated seconds per run (> 0, finite)
     * @param seed the experiment's seed
     * @param threads worker threads (≥ 1)
     * @param fixed for restricted algorithms, the configuration whose other variables stay fixed;
     *     empty: a random one per run
     */
    public record Settings(List<OptimizerSpec> algorithms, int runs, double budgetSeconds, long seed, int threads,
            Optional<Fixed> fixed) {

        public Settings {
            algorithms = List.copyOf(algorithms);
            Objects.requireNonNull(fixed, "fixed");
            if (algorithms.isEmpty()) {
                throw new IllegalArgumentException("algorithms: name at least one, was none");
            }
            // by name: the report's rows, the run's generator and --algorithms know an algorithm by it
            if (algorithms.stream().map(OptimizerSpec::label).distinct().count() != algorithms.size()) {
                throw new IllegalArgumentException("algorithms: each may be named once, was " + algorithms);
            }
            if (runs < 1) {
                throw new IllegalArgumentException("runs: must be ≥ 1, was " + runs);
            }
            if (!(budgetSeconds > 0) || Double.isInfinite(budgetSeconds)) {
                throw new IllegalArgumentException("budget: must be a finite number of seconds > 0, was "
                        + budgetSeconds);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads: must be ≥ 1, was " + threads);
            }
        }
    }

    /**
     * The configuration whose other variables a restricted algorithm keeps fixed, as its user names it:
     * the cell is read in the benchmark's space when the experiment runs (a cellcode in its digits or a
     * NAS-Bench-201 architecture string); the learning rate and batch size must be on the protocol's grid.
     *
     * @param cell the cell's name
     * @param learningRate one of the grid's
     * @param batchSize one of the grid's
     */
    public record Fixed(String cell, double learningRate, int batchSize) {

        public Fixed {
            Objects.requireNonNull(cell, "cell");
            HpGrid.lrIndex(learningRate);
            HpGrid.batchIndex(batchSize);
        }

        /** Its configuration index in {@code space}; an error naming the cell and the forms expected if it is none. */
        public int index(SearchSpace space) {
            try {
                return ConfigIndex.indexOf(new Configuration(space.parse(cell), learningRate, batchSize));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fixed: " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return cell + "," + learningRate + "," + batchSize;
        }
    }

    /** Told after each finished run. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);
    }

    private Experiment() {
    }

    public static ExperimentResult run(Benchmark bench, Settings settings, Progress progress) {
        Objects.requireNonNull(bench, "bench");
        Objects.requireNonNull(progress, "progress");
        long start = System.nanoTime();
        BenchmarkSpace space = BenchmarkSpace.of(bench);
        OptionalInt fixed = fixedIndex(settings, space);
        Reference reference = Reference.of(bench, space);
        int total = settings.algorithms().size() * settings.runs();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "optimize");
            t.setDaemon(true);
            return t;
        });
        try {
            List<List<Future<Trajectory>>> futures = new ArrayList<>();
            for (OptimizerSpec spec : settings.algorithms()) {
                List<Future<Trajectory>> runs = new ArrayList<>();
                for (int run = 0; run < settings.runs(); run++) {
                    int r = run;
                    runs.add(pool.submit(() -> {
                        Trajectory t = runOnce(bench, space, spec, r, settings, fixed);
                        progress.update(done.incrementAndGet(), total);
                        return t;
                    }));
                }
                futures.add(runs);
            }
            List<List<Trajectory>> trajectories = new ArrayList<>();
            for (List<Future<Trajectory>> runs : futures) {
                List<Trajectory> list = new ArrayList<>(runs.size());
                for (Future<Trajectory> f : runs) {
                    list.add(f.get());
                }
                trajectories.add(list);
            }
            return new ExperimentResult(settings, reference, space, bench.family(), bench.archStrings(),
                    bench.shortEpochs(), bench.longEpochs(),
                    SyntheticBenchmark.SOURCE.equals(bench.manifest().getSource()), trajectories,
                    (System.nanoTime() - start) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the experiment was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("a run failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The fixed configuration's index in the benchmark's space; an error if it is not in the space searched. */
    private static OptionalInt fixedIndex(Settings settings, BenchmarkSpace space) {
        if (settings.fixed().isEmpty()) {
            return OptionalInt.empty();
        }
        Fixed fixed = settings.fixed().get();
        int index = fixed.index(space.space().space());
        if (!space.space().contains(index)) {
            throw new IllegalArgumentException("fixed: " + fixed + " is not in the space the benchmark's runs search: "
                    + space.space());
        }
        return OptionalInt.of(index);
    }

    /** The generator of one run, from the experiment seed, the algorithm's label and the run number. */
    static SplittableRandom rng(long seed, OptimizerSpec spec, int run) {
        long mixed = seed * 0x9E3779B97F4A7C15L + spec.label().hashCode() * 0xBF58476D1CE4E5B9L + run;
        return new SplittableRandom(mixed);
    }

    /**
     * One run: the loop of {@link org.nashpo.bench.optim.OptimizerRun}, keeping the trajectory. The
     * optimizers speak of the paper's 12-epoch schedule (Hyperband's budgets are 1, 4 and 12 epochs);
     * on a benchmark whose short schedule is S epochs a request for e epochs reads
     * {@link OptimizerRun#iepoch(int, int) round(e·S/12)} of them, and only full-schedule evaluations count.
     */
    static Trajectory runOnce(Benchmark bench, BenchmarkSpace space, OptimizerSpec spec, int run, Settings settings,
            OptionalInt fixed) {
        int seed = space.seedOfRun(run);
        int shortEpochs = bench.shortEpochs();
        Optimizer optimizer = spec.create(rng(settings.seed(), spec, run), fixed, space.space());
        Trajectory.Builder trajectory = new Trajectory.Builder(run, seed);
        double[] best = {Double.NEGATIVE_INFINITY};
        OptimizerRun.run(bench, optimizer, settings.budgetSeconds(), seed, (index, epochs, accuracy, cost) -> {
            trajectory.evaluated(cost);
            if (epochs == BenchmarkLayout.SHORT_EPOCHS && accuracy > best[0]) {
                best[0] = accuracy;
                trajectory.incumbent(cost, index, accuracy, bench.accuracy(index, Mode.TEST, shortEpochs, seed),
                        bench.hasLongAccuracy(index) ? bench.longAccuracy(index) : Double.NaN);
            }
        });
        return trajectory.build();
    }
}
