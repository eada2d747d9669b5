package org.nashpo.bench.experiment;

import java.util.Arrays;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.WilcoxonSignedRankTest;
import org.apache.commons.statistics.ranking.NaNStrategy;
import org.apache.commons.statistics.ranking.NaturalRanking;
import org.apache.commons.statistics.ranking.TiesStrategy;

/** The summary statistics of the report. */
public final class Statistics {

    private static final NaturalRanking RANKING = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);
    /**
     * Two-sided, exact p-value for small samples without ties, else the normal approximation with tie
     * and continuity corrections. The library ranks zero differences (Pratt's method); {@link #wilcoxonP}
     * drops them first, as R's {@code wilcox.test(x, y, paired = TRUE)} does (Wilcoxon's method).
     */
    private static final WilcoxonSignedRankTest WILCOXON =
            WilcoxonSignedRankTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED);

    private Statistics() {
    }

    public static double mean(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        return sum / x.length;
    }

    /** Standard error of the mean: the sample standard deviation (n − 1) over √n; NaN for one value. */
    public static double standardError(double[] x) {
        if (x.length < 2) {
            return Double.NaN;
        }
        double m = mean(x);
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (x.length - 1)) / Math.sqrt(x.length);
    }

    public static double median(double[] x) {
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Average ranks: {@code values[a][r]} is algorithm a's value (lower is better) in run r; within
     * each run the algorithms are ranked 1..A, ties sharing the mean of their ranks; returns each
     * algorithm's mean rank over the runs. Infinite values (no result yet) rank last.
     */
    public static double[] averageRanks(double[][] values) {
        int algorithms = values.length;
        int runs = values[0].length;
        double[] sum = new double[algorithms];
        double[] column = new double[algorithms];
        for (int r = 0; r < runs; r++) {
            for (int a = 0; a < algorithms; a++) {
                column[a] = values[a][r];
            }
            double[] ranks = RANKING.apply(column);
            for (int a = 0; a < algorithms; a++) {
                sum[a] += ranks[a];
            }
        }
        for (int a = 0; a < algorithms; a++) {
            sum[a] /= runs;
        }
        return sum;
    }

    /**
     * Two-sided Wilcoxon signed-rank test of paired samples: the p-value of x − y centred on 0
     * (1 when every difference is zero: nothing tells them apart).
     */
    public static double wilcoxonP(double[] x, double[] y) {
        double[][] pairs = nonZeroPairs(x, y);
        if (pairs[0].length == 0) {
            return 1;
        }
        return WILCOXON.test(pairs[0], pairs[1]).getPValue();
    }

    /**
     * The signed-rank statistic V: the sum of the ranks of the positive differences x − y among the
     * non-zero ones (R's V).
     */
    public static double wilcoxonV(double[] x, double[] y) {
        double[][] pairs = nonZeroPairs(x, y);
        return pairs[0].length == 0 ? 0 : WILCOXON.statistic(pairs[0], pairs[1]);
    }

    private static double[][] nonZeroPairs(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples: lengths differ, " + x.length + " and " + y.length);
        }
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            n += x[i] != y[i] ? 1 : 0;
        }
        double[] xs = new double[n];
        double[] ys = new double[n];
        int j = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i]) {
                xs[j] = x[i];
                ys[j++] = y[i];
            }
        }
        return new double[][] {xs, ys};
    }
}
