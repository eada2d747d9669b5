package org.nashpo.core.asng;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The adaptive stochastic natural gradient method over D independent categorical variables
 * (PROTOCOL.md §6), as the original ASNG-NAS code's {@code CategoricalASNG} computes it.
 *
 * <p>Variable i takes one of {@code K_i = categories[i]} values with probabilities θ_i. An update
 * ranks λ samples by loss (lower is better) with the ranking utility of the original: with
 * μ = ⌈λ/4⌉, the μ best get +1/μ, the μ worst −1/μ, the rest 0, and tied samples share the mean
 * of their weights. A tie is the original's: in ascending order a loss b ties the a before it iff
 * b − a &lt; 10⁻¹⁴·a, so only positive losses tie; equal zero or negative losses (−accuracy, as the
 * bench feeds it) are ranked in sample order, first best, and update θ. The natural gradient is G = mean_n((u_n − ū)·(onehot(x_n) − θ)); the
 * step is θ += δ·G/‖G‖_F with δ = δ_init/Δ, where ‖G‖_F = ‖F^½G‖ is the Fisher norm. In the
 * first K−1 coordinates of each variable (the last is 1 − their sum) F = diag(1/θ) + 11ᵀ/θ_K, and
 * the original takes F^½G = MG with M = diag(1/√θ) + √θ·1ᵀ/(θ_K + √θ_K), a square root in the sense
 * MᵀM = F: (F^½G)_k = G_k/√θ_k + √θ_k·(Σ_{j<K} G_j)/(θ_K + √θ_K).
 *
 * <p>Then each θ_i is clipped at θ_min = 1/(D'·(K_i − 1)) (D' = variables with K > 1) and brought
 * back onto the simplex by moving the excess off the coordinates above θ_min in proportion to
 * their distance from it, and renormalised. Step-size adaptation with β = δ/√N, N = Σ(K_i − 1):
 * s ← (1−β)s + √(β(2−β))·F^½G/‖G‖_F; γ ← (1−β)²γ + β(2−β); Δ ← Δ·exp(β(γ − ‖s‖²/α)).
 * β and δ in these formulas are those before the update.
 *
 * <p>Not thread-safe. Randomness comes only from the generator passed to {@link #sample}.
 */
public final class Asng {

    /** The default threshold α of the signal-to-noise test. */
    public static final double DEFAULT_ALPHA = 1.5;
    /** The default initial step size δ_init. */
    public static final double DEFAULT_DELTA_INIT = 1.0;
    /** b ties the smaller a iff b − a &lt; this · a: the original's {@code eps}. */
    private static final double TIE_EPSILON = 1e-14;
    /** A natural gradient whose every entry is below this is too small to normalise: no update. */
    private static final double TINY_GRADIENT = 1e-18;

    private final int[] categories;
    private final double alpha;
    private final double deltaInit;
    /** Sum of (K_i − 1): the number of free parameters. */
    private final int freeParameters;
    private final double[] thetaMin;
    private final double[][] theta;
    /** Evolution path, one entry per free parameter. */
    private final double[] s;
    private double gamma;
    private double bigDelta = 1;

    /** ASNG with α = {@value #DEFAULT_ALPHA} and δ_init = {@value #DEFAULT_DELTA_INIT}. */
    public Asng(int[] categories) {
        this(categories, DEFAULT_ALPHA, DEFAULT_DELTA_INIT);
    }

    /**
     * @param categories the number of values of each variable (each ≥ 1, at least one variable)
     * @param alpha threshold of the adaptation (> 0)
     * @param deltaInit initial step size δ_init (> 0)
     */
    public Asng(int[] categories, double alpha, double deltaInit) {
        Objects.requireNonNull(categories, "categories");
        if (categories.length == 0) {
            throw new IllegalArgumentException("categories: must name at least one variable, was empty");
        }
        int free = 0;
        int varying = 0;
        for (int i = 0; i < categories.length; i++) {
            if (categories[i] < 1) {
                throw new IllegalArgumentException("categories[" + i + "]: must be ≥ 1, was " + categories[i]);
            }
            free += categories[i] - 1;
            varying += categories[i] > 1 ? 1 : 0;
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha: must be a finite number > 0, was " + alpha);
        }
        if (!(deltaInit > 0) || Double.isInfinite(deltaInit)) {
            throw new IllegalArgumentException("deltaInit: must be a finite number > 0, was " + deltaInit);
        }
        this.categories = categories.clone();
        this.alpha = alpha;
        this.deltaInit = deltaInit;
        this.freeParameters = free;
        this.theta = new double[categories.length][];
        this.thetaMin = new double[categories.length];
        for (int i = 0; i < categories.length; i++) {
            theta[i] = new double[categories[i]];
            Arrays.fill(theta[i], 1.0 / categories[i]);
            thetaMin[i] = categories[i] > 1 ? 1.0 / (varying * (categories[i] - 1.0)) : 0;
        }
        this.s = new double[free];
    }

    /** The number of values of each variable (a copy). */
    public int[] categories() {
        return categories.clone();
    }

    /** One sample: a value per variable, drawn from θ by inverting its cumulative distribution. */
    public int[] sample(RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng");
        int[] x = new int[categories.length];
        for (int i = 0; i < x.length; i++) {
            double u = rng.nextDouble();
            double[] t = theta[i];
            double cumulative = 0;
            int k = 0;
            // x = k iff cum(k) − θ_k ≤ u < cum(k); floating error in the sum falls to the last value
            while (k < t.length - 1) {
                cumulative += t[k];
                if (u < cumulative) {
                    break;
                }
                k++;
            }
            x[i] = k;
        }
        return x;
    }

    /** θ: per variable its probabilities (a copy). */
    public double[][] theta() {
        double[][] copy = new double[theta.length][];
        for (int i = 0; i < theta.length; i++) {
            copy[i] = theta[i].clone();
        }
        return copy;
    }

    /** The most likely value of each variable (the first on ties). */
    public int[] mostLikely() {
        int[] x = new int[categories.length];
        for (int i = 0; i < x.length; i++) {
            double[] t = theta[i];
            for (int k = 1; k < t.length; k++) {
                if (t[k] > t[x[i]]) {
                    x[i] = k;
                }
            }
        }
        return x;
    }

    /** The current step size δ = δ_init/Δ. */
    public double delta() {
        return deltaInit / bigDelta;
    }

    /** The accumulation vector s, one entry per free parameter (a copy). */
    double[] evolutionPath() {
        return s.clone();
    }

    /** γ, the normaliser of ‖s‖² in the adaptation. */
    double gamma() {
        return gamma;
    }

    /** The adapted Δ (1 at the start). */
    public double bigDelta() {
        return bigDelta;
    }

    /**
     * Updates θ from λ = {@code samples.length} samples and their losses (lower is better).
     *
     * @return false when the update was skipped: every utility equal (for λ = 2, a tie) or a
     *     vanishing natural gradient (the samples equal where they differ in utility)
     */
    public boolean update(int[][] samples, double[] losses) {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(losses, "losses");
        int lambda = samples.length;
        if (lambda < 2 || losses.length != lambda) {
            throw new IllegalArgumentException("samples: need λ ≥ 2 samples with one loss each, got "
                    + lambda + " samples and " + losses.length + " losses");
        }
        for (int n = 0; n < lambda; n++) {
            requireSample(n, samples[n]);
            if (Double.isNaN(losses[n])) {
                throw new IllegalArgumentException("losses[" + n + "]: must be a number, was NaN");
            }
        }
        double[] u = utility(losses);
        double mean = 0;
        for (double w : u) {
            mean += w;
        }
        mean /= lambda;
        double variance = 0;
        for (double w : u) {
            variance += (w - mean) * (w - mean);
        }
        if (variance == 0) {
            return false;
        }
        double[][] grad = new double[theta.length][];
        boolean tiny = true;
        for (int i = 0; i < theta.length; i++) {
            grad[i] = new double[categories[i]];
            for (int n = 0; n < lambda; n++) {
                double w = u[n] - mean;
                for (int k = 0; k < categories[i]; k++) {
                    grad[i][k] += w * ((samples[n][i] == k ? 1 : 0) - theta[i][k]);
                }
            }
            for (int k = 0; k < categories[i]; k++) {
                grad[i][k] /= lambda;
                tiny &= Math.abs(grad[i][k]) < TINY_GRADIENT;
            }
        }
        if (tiny) {
            return false;
        }
        double[] fisherHalfGrad = new double[freeParameters];
        int p = 0;
        for (int i = 0; i < theta.length; i++) {
            int last = categories[i] - 1;
            double thetaLast = theta[i][last];
            double sum = 0;
            for (int k = 0; k < last; k++) {
                sum += grad[i][k];
            }
            for (int k = 0; k < last; k++) {
                double t = theta[i][k];
                fisherHalfGrad[p++] = grad[i][k] / Math.sqrt(t) + Math.sqrt(t) * sum / (thetaLast + Math.sqrt(thetaLast));
            }
        }
        double norm = 0;
        for (double v : fisherHalfGrad) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);

        double delta = delta();
        double beta = delta / Math.sqrt(freeParameters);
        for (int i = 0; i < theta.length; i++) {
            for (int k = 0; k < categories[i]; k++) {
                theta[i][k] += delta * (grad[i][k] / norm);
            }
            project(i);
        }
        double decay = 1 - beta;
        double gain = Math.sqrt(beta * (2 - beta));
        double sNorm2 = 0;
        for (int j = 0; j < s.length; j++) {
            s[j] = decay * s[j] + gain * fisherHalfGrad[j] / norm;
            sNorm2 += s[j] * s[j];
        }
        gamma = decay * decay * gamma + beta * (2 - beta);
        bigDelta *= Math.exp(beta * (gamma - sNorm2 / alpha));
        return true;
    }

    /** Clips θ_i at θ_min and moves it back onto the simplex, as the original does. */
    private void project(int i) {
        double[] t = theta[i];
        double min = thetaMin[i];
        double sum = 0;
        for (int k = 0; k < t.length; k++) {
            t[k] = Math.max(t[k], min);
            sum += t[k];
        }
        double room = sum - min * t.length;
        if (room > 0) {
            for (int k = 0; k < t.length; k++) {
                t[k] -= (sum - 1) * (t[k] - min) / room;
            }
        }
        double total = 0;
        for (double v : t) {
            total += v;
        }
        for (int k = 0; k < t.length; k++) {
            t[k] /= total;
        }
    }

    /**
     * The ranking utility of the original: μ = ⌈λ/4⌉ best +1/μ, μ worst −1/μ, others 0; a run of
     * tied losses (in sorted order, see {@link #tied}) shares the mean of its weights. Equal losses
     * keep their sample order, as numpy's argsort does for the original's small λ.
     */
    static double[] utility(double[] losses) {
        int lambda = losses.length;
        Integer[] order = new Integer[lambda];
        for (int n = 0; n < lambda; n++) {
            order[n] = n;
        }
        // numpy orders −0.0 and 0.0 as equal; Double.compare would not
        Arrays.sort(order, (a, b) -> losses[a] < losses[b] ? -1 : losses[a] > losses[b] ? 1 : 0);
        int mu = (int) Math.ceil(lambda / 4.0);
        double[] rankWeight = new double[lambda];
        for (int r = 0; r < lambda; r++) {
            rankWeight[r] = r < mu ? 1.0 / mu : r >= lambda - mu ? -1.0 / mu : 0;
        }
        double[] u = new double[lambda];
        int start = 0;
        for (int r = 1; r <= lambda; r++) {
            if (r < lambda && tied(losses[order[r - 1]], losses[order[r]])) {
                continue;
            }
            double w = 0;
            for (int j = start; j < r; j++) {
                w += rankWeight[j];
            }
            w /= r - start;
            for (int j = start; j < r; j++) {
                u[order[j]] = w;
            }
            start = r;
        }
        return u;
    }

    /**
     * Whether b (≥ a in sorted order) ties a: {@code b − a < 1e-14·a}, exactly the original's test.
     * It is relative to a's signed value, so zero and negative losses never tie, equal or not.
     */
    static boolean tied(double a, double b) {
        return b - a < TIE_EPSILON * a;
    }

    private void requireSample(int n, int[] x) {
        if (x == null || x.length != categories.length) {
            throw new IllegalArgumentException("samples[" + n + "]: must hold " + categories.length + " values, was "
                    + (x == null ? "null" : x.length + " values"));
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i] < 0 || x[i] >= categories[i]) {
                throw new IllegalArgumentException("samples[" + n + "][" + i + "]: must be in 0.." + (categories[i] - 1)
                        + ", was " + x[i]);
            }
        }
    }
}
