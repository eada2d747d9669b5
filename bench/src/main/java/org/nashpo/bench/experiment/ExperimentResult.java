package org.nashpo.bench.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.SearchSpace;

/**
 * The trajectories of every run of an {@link Experiment} and what the report derives from them:
 * per algorithm summaries, the Wilcoxon tests against the best algorithm, and curves (mean regret,
 * accuracy and rank) on a grid of simulated times.
 */
public final class ExperimentResult {

    /** Points of the time grid. */
    public static final int GRID_POINTS = 100;
    /** The grid starts at this fraction of the budget and is logarithmic up to the budget. */
    private static final double GRID_START = 1.0 / 200;

    private final Experiment.Settings settings;
    private final Reference reference;
    private final List<List<Trajectory>> trajectories;
    private final double wallSeconds;
    private final BenchmarkSpace space;
    private final NetworkFamily family;
    private final boolean archStrings;
    private final int shortEpochs;
    private final int longEpochs;
    private final boolean synthetic;
    private List<AlgorithmSummary> summaries;
    private Curves curves;

    ExperimentResult(Experiment.Settings settings, Reference reference, BenchmarkSpace space, NetworkFamily family,
            boolean archStrings, int shortEpochs, int longEpochs, boolean synthetic,
            List<List<Trajectory>> trajectories, double wallSeconds) {
        this.synthetic = synthetic;
        this.space = Objects.requireNonNull(space, "space");
        this.family = Objects.requireNonNull(family, "family");
        this.archStrings = archStrings;
        this.shortEpochs = shortEpochs;
        this.longEpochs = longEpochs;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.reference = Objects.requireNonNull(reference, "reference");
        List<List<Trajectory>> copy = new ArrayList<>();
        for (List<Trajectory> runs : trajectories) {
            copy.add(List.copyOf(runs));
        }
        this.trajectories = List.copyOf(copy);
        this.wallSeconds = wallSeconds;
    }

    public Experiment.Settings settings() {
        return settings;
    }

    public Reference reference() {
        return reference;
    }

    /** Configurations in the space the optimizers searched. */
    public int spaceSize() {
        return space.space().count();
    }

    /** The benchmark's cell space, which numbers the configurations of the trajectories. */
    public SearchSpace cellSpace() {
        return space.space().space();
    }

    /** The network family of the benchmark. */
    public NetworkFamily family() {
        return family;
    }

    /** Whether the benchmark's users name cells by NAS-Bench-201 architecture strings too. */
    public boolean archStrings() {
        return archStrings;
    }

    /**
     * The space searched in words: the cell space and network, and the operations the searched cells are
     * made of when they are fewer.
     */
    public String spaceText() {
        SearchSpace cells = cellSpace();
        String whole = "the cell space " + cells.operations().stream().map(cells::nameOf).toList() + " ("
                + cells.operationCount() + " operations per edge, " + String.format(Locale.ROOT, "%,d", cells.size())
                + " cellcodes) in the " + family.specName() + " network";
        return space.operations().equals(cells.operations()) ? whole
                : "cells made of " + space.operations().stream().map(cells::nameOf).toList() + " only, of " + whole;
    }

    /** Epochs of the benchmark's short schedule, the one the runs search on (12 in the published benchmark). */
    public int shortEpochs() {
        return shortEpochs;
    }

    /** Epochs of the long schedule the surrogate predicts (200 in the published benchmark); 0 if there is none. */
    public int longEpochs() {
        return longEpochs;
    }

    /** Whether the benchmark is synthetic (nashpo synth-bench: accuracies from a model, not from training). */
    public boolean synthetic() {
        return synthetic;
    }

    /**
     * Why this experiment says little about the optimizers, if it does: its space is so small that
     * the algorithms query more configurations within the budget than it holds, so each of them
     * can reach its best (the demo's benchmark, a benchmark built on a few cells). Empty when no
     * algorithm does.
     */
    public Optional<String> smallSpace() {
        List<AlgorithmSummary> all = summaries();
        int spaceSize = spaceSize();
        List<AlgorithmSummary> exhausting = all.stream().filter(s -> s.meanEvaluations() >= spaceSize).toList();
        if (exhausting.isEmpty()) {
            return Optional.empty();
        }
        double low = exhausting.stream().mapToDouble(AlgorithmSummary::meanEvaluations).min().orElseThrow();
        double high = exhausting.stream().mapToDouble(AlgorithmSummary::meanEvaluations).max().orElseThrow();
        String who = exhausting.size() == all.size()
                ? (all.size() == 1 ? "the algorithm queries" : "every algorithm queries")
                : exhausting.size() + " of the " + all.size() + " algorithms query";
        return Optional.of(String.format(Locale.ROOT, "Too small for this experiment: the space holds %,d configurations "
                + "and %s more than that within the budget (%s on average), so they can all reach its best and the "
                + "comparison says little about the optimizers. Compare them on a full-size benchmark (the published "
                + "grid, or nashpo synth-bench).", spaceSize, who,
                low == high ? String.format(Locale.ROOT, "%,.0f", low)
                        : String.format(Locale.ROOT, "%,.0f to %,.0f", low, high)));
    }

    /** Trajectories of algorithm {@code a} (in settings order), by run. */
    public List<Trajectory> trajectories(int a) {
        return trajectories.get(a);
    }

    /** Wall time of the runs, seconds. */
    public double wallSeconds() {
        return wallSeconds;
    }

    public int algorithms() {
        return trajectories.size();
    }

    public String label(int a) {
        return settings.algorithms().get(a).label();
    }

    /** Short-schedule test regret of trajectory entry i. */
    public double regret12(Trajectory t, int i) {
        return reference.bestTest12(t.seed()) - t.test12(i);
    }

    public double regret200(Trajectory t, int i) {
        return reference.bestTest200() - t.test200(i);
    }

    /** Final 12-epoch regret of every run of algorithm a; +∞ for a run without a result. */
    double[] finalRegrets(int a) {
        List<Trajectory> runs = trajectories.get(a);
        double[] r = new double[runs.size()];
        for (int i = 0; i < r.length; i++) {
            Trajectory t = runs.get(i);
            r[i] = t.last() < 0 ? Double.POSITIVE_INFINITY : regret12(t, t.last());
        }
        return r;
    }

    /** The index of the best algorithm: the least mean final 12-epoch regret (the first on ties). */
    public int best() {
        int best = 0;
        double bestMean = Double.POSITIVE_INFINITY;
        for (int a = 0; a < algorithms(); a++) {
            double m = Statistics.mean(finite(finalRegrets(a)));
            if (m < bestMean) {
                bestMean = m;
                best = a;
            }
        }
        return best;
    }

    public synchronized List<AlgorithmSummary> summaries() {
        if (summaries == null) {
            summaries = computeSummaries();
        }
        return summaries;
    }

    public synchronized Curves curves() {
        if (curves == null) {
            curves = computeCurves();
        }
        return curves;
    }

    private List<AlgorithmSummary> computeSummaries() {
        int algorithms = algorithms();
        double[][] finals = new double[algorithms][];
        for (int a = 0; a < algorithms; a++) {
            finals[a] = finalRegrets(a);
        }
        double[] ranks = Statistics.averageRanks(finals);
        int best = best();
        List<AlgorithmSummary> list = new ArrayList<>();
        for (int a = 0; a < algorithms; a++) {
            List<Trajectory> runs = trajectories.get(a);
            List<Double> r12 = new ArrayList<>();
            List<Double> r200 = new ArrayList<>();
            List<Double> t12 = new ArrayList<>();
            List<Double> t200 = new ArrayList<>();
            double evaluations = 0;
            for (Trajectory t : runs) {
                evaluations += t.evaluations();
                int last = t.last();
                if (last >= 0) {
                    r12.add(regret12(t, last));
                    r200.add(regret200(t, last));
                    t12.add(t.test12(last));
                    t200.add(t.test200(last));
                }
            }
            double p = a == best ? Double.NaN : pairedP(finals[a], finals[best]);
            double[] reg12 = array(r12);
            double[] reg200 = array(r200);
            double[] test12 = array(t12);
            double[] test200 = array(t200);
            list.add(new AlgorithmSummary(label(a), runs.size(), runs.size() - reg12.length,
                    evaluations / runs.size(), mean(reg12), Statistics.standardError(reg12), median(reg12),
                    mean(test12), Statistics.standardError(test12), mean(test200), Statistics.standardError(test200),
                    mean(reg200), median(reg200), ranks[a], p));
        }
        return List.copyOf(list);
    }

    /** Wilcoxon over the runs where both have a result. */
    private static double pairedP(double[] x, double[] y) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        return xs.isEmpty() ? Double.NaN : Statistics.wilcoxonP(array(xs), array(ys));
    }

    private Curves computeCurves() {
        int algorithms = algorithms();
        double budget = settings.budgetSeconds();
        double[] times = new double[GRID_POINTS];
        for (int k = 0; k < GRID_POINTS; k++) {
            times[k] = budget * Math.pow(GRID_START, 1 - k / (double) (GRID_POINTS - 1));
        }
        double[][] meanRegret = new double[algorithms][GRID_POINTS];
        double[][] seRegret = new double[algorithms][GRID_POINTS];
        double[][] medianRegret = new double[algorithms][GRID_POINTS];
        double[][] meanTest12 = new double[algorithms][GRID_POINTS];
        double[][] meanTest200 = new double[algorithms][GRID_POINTS];
        int[][] withResult = new int[algorithms][GRID_POINTS];
        double[][] rank = new double[GRID_POINTS][];
        int runs = settings.runs();
        for (int k = 0; k < GRID_POINTS; k++) {
            double t = times[k];
            double[][] regrets = new double[algorithms][runs];
            for (int a = 0; a < algorithms; a++) {
                List<Double> r12 = new ArrayList<>();
                List<Double> a12 = new ArrayList<>();
                List<Double> a200 = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    Trajectory tr = trajectories.get(a).get(r);
                    // the last grid point is the end of the run: the query that crossed the budget counts
                    int i = k == GRID_POINTS - 1 ? tr.last() : tr.at(t);
                    if (i < 0) {
                        regrets[a][r] = Double.POSITIVE_INFINITY;
                        continue;
                    }
                    regrets[a][r] = regret12(tr, i);
                    r12.add(regrets[a][r]);
                    a12.add(tr.test12(i));
                    a200.add(tr.test200(i));
                }
                withResult[a][k] = r12.size();
                double[] reg = array(r12);
                meanRegret[a][k] = mean(reg);
                seRegret[a][k] = reg.length < 2 ? Double.NaN : Statistics.standardError(reg);
                medianRegret[a][k] = median(reg);
                meanTest12[a][k] = mean(array(a12));
                meanTest200[a][k] = mean(array(a200));
            }
            rank[k] = Statistics.averageRanks(regrets);
        }
        return new Curves(times, meanRegret, seRegret, medianRegret, meanTest12, meanTest200, withResult, rank);
    }

    /**
     * Curves on the time grid, indexed [algorithm][time] (rank: [time][algorithm]). A point averages
     * the runs that have a result by then; the rank counts runs without one as last. The arrays are
     * the result's own: read them, do not change them.
     */
    public static final class Curves {
        private final double[] times;
        private final double[][] meanRegret;
        private final double[][] seRegret;
        private final double[][] medianRegret;
        private final double[][] meanTest12;
        private final double[][] meanTest200;
        private final int[][] withResult;
        private final double[][] rank;

        Curves(double[] times, double[][] meanRegret, double[][] seRegret, double[][] medianRegret,
                double[][] meanTest12, double[][] meanTest200, int[][] withResult, double[][] rank) {
            this.times = times;
            this.meanRegret = meanRegret;
            this.seRegret = seRegret;
            this.medianRegret = medianRegret;
            this.meanTest12 = meanTest12;
            this.meanTest200 = meanTest200;
            this.withResult = withResult;
            this.rank = rank;
        }

        /** The grid: simulated seconds, logarithmic from budget/200 to the budget (the end of the runs). */
        public double[] times() {
            return times;
        }

        public double[][] meanRegret() {
            return meanRegret;
        }

        public double[][] seRegret() {
            return seRegret;
        }

        public double[][] medianRegret() {
            return medianRegret;
        }

        public double[][] meanTest12() {
            return meanTest12;
        }

        public double[][] meanTest200() {
            return meanTest200;
        }

        /** Runs with a result by each time. */
        public int[][] withResult() {
            return withResult;
        }

        /** Mean rank, [time][algorithm]. */
        public double[][] rank() {
            return rank;
        }
    }

    private static double[] array(List<Double> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    private static double[] finite(double[] x) {
        return java.util.Arrays.stream(x).filter(Double::isFinite).toArray();
    }

    private static double mean(double[] x) {
        return x.length == 0 ? Double.NaN : Statistics.mean(x);
    }

    private static double median(double[] x) {
        return x.length == 0 ? Double.NaN : Statistics.median(x);
    }
}
