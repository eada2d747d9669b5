package org.nashpo.bench.optim;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * REINFORCE (Williams, 1992) with the paper's settings (PROTOCOL.md §5), as the NAS benchmarks'
 * baselines run it: one softmax policy per free variable (in a joint space 6×K edges for K
 * operations, 6×4 in NAS-HPO-Bench-II's; 1×8 learning rates; 1×6 batch sizes), logits starting at 0;
 * each sampled configuration's reward is its accuracy as a fraction; the advantage is the reward
 * minus a moving-average baseline (decay 0.9, starting at the first reward), and Adam (learning rate
 * 0.01, β₁ 0.9, β₂ 0.999, ε 1e-8) ascends advantage·∇log π(x), whose gradient in variable j's logits
 * is onehot(x_j) − softmax_j.
 */
public final class Reinforce implements Optimizer {

    public static final double LEARNING_RATE = 0.01;
    public static final double BASELINE_DECAY = 0.9;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final SplittableRandom rng;
    private final Domain domain;
    private final double[][] logits;
    private final double[][] m;
    private final double[][] v;
    private final double[][] probabilities;
    private final int[] sample;
    private double baseline = Double.NaN;
    private int steps;

    public Reinforce(SplittableRandom rng, Domain domain) {
        this.rng = Objects.requireNonNull(rng, "rng");
        this.domain = Objects.requireNonNull(domain, "domain");
        int n = domain.variables();
        logits = new double[n][];
        m = new double[n][];
        v = new double[n][];
        probabilities = new double[n][];
        for (int j = 0; j < n; j++) {
            logits[j] = new double[domain.size(j)];
            m[j] = new double[domain.size(j)];
            v[j] = new double[domain.size(j)];
            probabilities[j] = new double[domain.size(j)];
        }
        sample = new int[n];
        softmax();
    }

    @Override
    public int ask() {
        for (int j = 0; j < logits.length; j++) {
            double u = rng.nextDouble();
            double[] p = probabilities[j];
            int k = 0;
            double cumulative = p[0];
            while (k < p.length - 1 && u >= cumulative) {
                k++;
                cumulative += p[k];
            }
            sample[j] = k;
        }
        return domain.index(sample);
    }

    @Override
    public void tell(int configIndex, double accuracy) {
        double reward = accuracy / 100;
        if (Double.isNaN(baseline)) {
            baseline = reward;
        }
        double advantage = reward - baseline;
        baseline = BASELINE_DECAY * baseline + (1 - BASELINE_DECAY) * reward;
        steps++;
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = 1 - Math.pow(BETA2, steps);
        for (int j = 0; j < logits.length; j++) {
            int x = domain.get(configIndex, j);
            for (int k = 0; k < logits[j].length; k++) {
                double g = advantage * ((k == x ? 1 : 0) - probabilities[j][k]);
                m[j][k] = BETA1 * m[j][k] + (1 - BETA1) * g;
                v[j][k] = BETA2 * v[j][k] + (1 - BETA2) * g * g;
                logits[j][k] += LEARNING_RATE * (m[j][k] / correction1) / (Math.sqrt(v[j][k] / correction2) + EPSILON);
            }
        }
        softmax();
    }

    /** The policy's probabilities of free variable {@code j} (a copy). */
    double[] policy(int j) {
        return probabilities[j].clone();
    }

    private void softmax() {
        for (int j = 0; j < logits.length; j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double l : logits[j]) {
                max = Math.max(max, l);
            }
            double sum = 0;
            for (int k = 0; k < logits[j].length; k++) {
                probabilities[j][k] = Math.exp(logits[j][k] - max);
                sum += probabilities[j][k];
            }
            for (int k = 0; k < logits[j].length; k++) {
                probabilities[j][k] /= sum;
            }
        }
    }
}
