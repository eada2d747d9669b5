package org.nashpo.bench.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Hyperband (Li et al., JMLR 2018) and BOHB (Falkner et al., ICML 2018) as HpBandSter runs them with
 * one worker, with the paper's settings (PROTOCOL.md §5): η = 3, budgets of 1, 4 and 12 epochs (the
 * query's {@code iepoch}; a partial evaluation costs its own {@code iepoch} cost, from scratch), and
 * a fixed number of iterations (40), after which the optimizer is {@link #done()}.
 *
 * <p>Iteration i runs successive halving bracket s = 2 − (i mod 3): s = 2 evaluates 9
 * configurations at 1 epoch, the best 3 at 4 and the best 1 at 12; s = 1 evaluates 3 at 4 epochs and
 * the best at 12; s = 0 evaluates 3 at 12 (HpBandSter's n₀ = ⌊3/(s+1)⌋·η^s). Promotions take the
 * highest accuracies, the earlier evaluation on ties.
 *
 * <p>Hyperband draws new configurations uniformly. BOHB draws them, one at a time as the bracket
 * needs them, from its model when it has one and with probability 2/3 (a third stay random):
 * per budget it keeps every evaluation (not those at budgets below the largest one with a model);
 * once a budget has enough, it splits them into the best 15 % (at least d + 1, d = free variables)
 * and the rest (at most the next 85 %, at least d + 1), each set needing more than d points, and
 * fits a {@link KernelDensity} l to the good and g to the bad, minimum bandwidth 0.3. A proposal
 * takes 4 candidates, each a random good point with every variable kept with probability 1 − λ_j or
 * else redrawn uniformly, and keeps the one with the least g/l (both floored at 1e-32) under the
 * model of the largest budget. HpBandSter's bandwidth factor (3) widens only continuous variables'
 * kernels when it samples candidates; every variable here is categorical, so it does not apply.
 */
public final class Hyperband implements Optimizer {

    public static final int ETA = 3;
    /** Budgets in epochs, smallest first: 12·η^−2 ≈ 1.3 → 1, 12·η^−1 = 4, 12. */
    static final int[] BUDGETS = {1, 4, 12};
    /** The paper's iterations (successive halving brackets). */
    public static final int ITERATIONS = 40;
    static final double TOP_FRACTION = 0.15;
    static final double RANDOM_FRACTION = 1.0 / 3;
    static final int CANDIDATES = 4;
    static final double MIN_BANDWIDTH = 0.3;
    private static final double FLOOR = 1e-32;

    private final SplittableRandom rng;
    private final Domain domain;
    private final int iterations;
    private final boolean modelBased;
    private final int minPoints;

    private int iteration;
    /** The current bracket: configurations per stage and the stage's first budget. */
    private int[] stageSizes;
    private int firstBudget;
    private int stage;
    private int[] configs;
    private double[] accuracies;
    private int position;

    /** BOHB's observations per budget index: free-variable values and losses. */
    private final List<List<int[]>> observed = new ArrayList<>();
    private final List<List<Double>> losses = new ArrayList<>();
    /** Per budget index with a model: {good, bad}. */
    private final Map<Integer, KernelDensity[]> models = new HashMap<>();
    private int largestModel = -1;

    private Hyperband(SplittableRandom rng, Domain domain, int iterations, boolean modelBased) {
        this.rng = Objects.requireNonNull(rng, "rng");
        this.domain = Objects.requireNonNull(domain, "domain");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations: must be ≥ 1, was " + iterations);
        }
        this.iterations = iterations;
        this.modelBased = modelBased;
        this.minPoints = domain.variables() + 1;
        for (int b = 0; b < BUDGETS.length; b++) {
            observed.add(new ArrayList<>());
            losses.add(new ArrayList<>());
        }
        startBracket();
    }

    /** Hyperband: random configurations, {@value #ITERATIONS} iterations. */
    public static Hyperband hyperband(SplittableRandom rng, Domain domain) {
        return new Hyperband(rng, domain, ITERATIONS, false);
    }

    /** BOHB: model-based configurations, {@code iterations} iterations. */
    public static Hyperband bohb(SplittableRandom rng, Domain domain, int iterations) {
        return new Hyperband(rng, domain, iterations, true);
    }

    public static Hyperband bohb(SplittableRandom rng, Domain domain) {
        return bohb(rng, domain, ITERATIONS);
    }

    private void startBracket() {
        int brackets = BUDGETS.length;
        int s = brackets - 1 - iteration % brackets;
        int n0 = (brackets / (s + 1)) * (int) Math.pow(ETA, s);
        stageSizes = new int[s + 1];
        for (int i = 0; i <= s; i++) {
            stageSizes[i] = Math.max((int) (n0 * Math.pow(ETA, -i)), 1);
        }
        firstBudget = brackets - 1 - s;
        stage = 0;
        configs = new int[stageSizes[0]];
        Arrays.fill(configs, -1);
        accuracies = new double[stageSizes[0]];
        position = 0;
    }

    @Override
    public int ask() {
        if (configs[position] < 0) {
            configs[position] = modelBased ? propose() : domain.random(rng);
        }
        return configs[position];
    }

    @Override
    public int epochs() {
        return BUDGETS[firstBudget + stage];
    }

    @Override
    public void tell(int configIndex, double accuracy) {
        if (modelBased) {
            observe(firstBudget + stage, configIndex, -accuracy);
        }
        accuracies[position++] = accuracy;
        if (position < configs.length) {
            return;
        }
        if (stage + 1 < stageSizes.length) {
            Integer[] order = new Integer[configs.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -accuracies[i]));
            stage++;
            int[] promoted = new int[stageSizes[stage]];
            for (int i = 0; i < promoted.length; i++) {
                promoted[i] = configs[order[i]];
            }
            configs = promoted;
            accuracies = new double[promoted.length];
            position = 0;
        } else {
            iteration++;
            startBracket();
        }
    }

    @Override
    public boolean done() {
        return iteration >= iterations;
    }

    /** Completed iterations. */
    int iterations() {
        return iteration;
    }

    /** Whether BOHB has a model (at any budget). */
    boolean hasModel() {
        return largestModel >= 0;
    }

    private void observe(int budget, int configIndex, double loss) {
        if (largestModel > budget) {
            return;
        }
        List<int[]> points = observed.get(budget);
        List<Double> values = losses.get(budget);
        points.add(domain.values(configIndex));
        values.add(loss);
        int n = points.size();
        if (n <= minPoints - 1) {
            return;
        }
        int d = domain.variables();
        int good = Math.max(minPoints, (int) (TOP_FRACTION * 100) * n / 100);
        int bad = Math.max(minPoints, (100 - (int) (TOP_FRACTION * 100)) * n / 100);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(values::get));
        int goodRows = Math.min(good, n);
        int badRows = Math.max(0, Math.min(good + bad, n) - good);
        if (goodRows <= d || badRows <= d) {
            return;
        }
        int[][] goodData = new int[goodRows][];
        int[][] badData = new int[badRows][];
        for (int i = 0; i < goodRows; i++) {
            goodData[i] = points.get(order[i]);
        }
        for (int i = 0; i < badRows; i++) {
            badData[i] = points.get(order[goodRows + i]);
        }
        int[] sizes = domain.sizes();
        models.put(budget, new KernelDensity[] {new KernelDensity(goodData, sizes, MIN_BANDWIDTH),
                new KernelDensity(badData, sizes, MIN_BANDWIDTH)});
        largestModel = Math.max(largestModel, budget);
    }

    private int propose() {
        if (largestModel < 0 || rng.nextDouble() < RANDOM_FRACTION) {
            return domain.random(rng);
        }
        KernelDensity[] model = models.get(largestModel);
        KernelDensity good = model[0];
        KernelDensity bad = model[1];
        int d = domain.variables();
        int[] best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            int[] datum = good.point(rng.nextInt(good.points()));
            int[] candidate = new int[d];
            for (int j = 0; j < d; j++) {
                double bw = Math.max(good.bandwidth(j), MIN_BANDWIDTH);
                candidate[j] = rng.nextDouble() < 1 - bw ? datum[j] : rng.nextInt(good.size(j));
            }
            double value = Math.max(FLOOR, bad.pdf(candidate)) / Math.max(good.pdf(candidate), FLOOR);
            if (value < bestValue) {
                bestValue = value;
                best = candidate;
            }
        }
        return domain.index(best);
    }
}
