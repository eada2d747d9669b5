package org.nashpo.spark.surrogate;

import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * How well predictions match the truth on held-out configurations.
 *
 * @param configurations number of configurations scored
 * @param r2 coefficient of determination, 1 − SS_res / SS_tot (≤ 1; below 0 is worse than the mean)
 * @param rmse root mean squared error, accuracy points
 * @param kendallTau Kendall's τ-b between prediction and truth
 * @param spearmanRho Spearman's ρ between prediction and truth
 */
public record HeldOutMetrics(int configurations, double r2, double rmse, double kendallTau, double spearmanRho) {

    public HeldOutMetrics {
        if (configurations < 2) {
            throw new IllegalArgumentException("configurations: need ≥ 2 to score, was " + configurations);
        }
    }

    public static HeldOutMetrics of(double[] predicted, double[] actual) {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException("predicted and actual: lengths differ, " + predicted.length + " and "
                    + actual.length);
        }
        int n = actual.length;
        double mean = 0;
        for (double a : actual) {
            mean += a;
        }
        mean /= n;
        double residual = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        return new HeldOutMetrics(n, 1 - residual / total, Math.sqrt(residual / n),
                new KendallsCorrelation().correlation(predicted, actual),
                new SpearmansCorrelation().correlation(predicted, actual));
    }

    /**
     * How well one quantity alone ranks another (the baseline: short-schedule test accuracy against the
     * long-schedule one).
     *
     * @param configurations number of pairs
     * @param kendallTau Kendall's τ-b
     * @param spearmanRho Spearman's ρ
     */
    public record Ranking(int configurations, double kendallTau, double spearmanRho) {
        public static Ranking of(double[] x, double[] y) {
            return new Ranking(x.length, new KendallsCorrelation().correlation(x, y),
                    new SpearmansCorrelation().correlation(x, y));
        }
    }
}
