package org.nashpo.bench.optim;

/**
 * The multivariate kernel density estimate BOHB fits (statsmodels' {@code KDEMultivariate} with
 * every variable unordered): p(x) = (1/n)·Σ_i Π_j k_j(x_j, X_ij), with the Aitchison–Aitken kernel
 * k_j(x, X) = 1 − λ_j if x = X, else λ_j/(K_j − 1), over K_j categories. Bandwidths follow the
 * normal reference rule λ_j = 1.06·σ_j·n^(−1/(4+d)) of the category codes (σ the population
 * standard deviation), at least the minimum bandwidth.
 *
 * <p>Two choices differ from statsmodels, which are the kernel's proper definition: K_j is the
 * variable's number of categories (statsmodels counts the distinct values in the data, so a column
 * holding one value gives an infinite density), and λ_j is at most (K_j − 1)/K_j, where the kernel is
 * uniform (above it the kernel would prefer the values unlike the data, and at λ > 1 turn negative).
 */
final class KernelDensity {

    private final int[][] data;
    private final int[] sizes;
    private final double[] bandwidth;
    /** Per variable: the kernel at a matching and at a differing value. */
    private final double[] same;
    private final double[] other;

    KernelDensity(int[][] data, int[] sizes, double minBandwidth) {
        if (data.length == 0) {
            throw new IllegalArgumentException("data: a density needs at least one point, was empty");
        }
        this.data = data;
        this.sizes = sizes;
        int n = data.length;
        int d = sizes.length;
        double factor = 1.06 * Math.pow(n, -1.0 / (4 + d));
        bandwidth = new double[d];
        same = new double[d];
        other = new double[d];
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int[] row : data) {
                mean += row[j];
            }
            mean /= n;
            double variance = 0;
            for (int[] row : data) {
                variance += (row[j] - mean) * (row[j] - mean);
            }
            double sigma = Math.sqrt(variance / n);
            double upper = sizes[j] > 1 ? (sizes[j] - 1.0) / sizes[j] : 0;
            double lambda = Math.min(Math.max(factor * sigma, minBandwidth), upper);
            bandwidth[j] = lambda;
            same[j] = 1 - lambda;
            other[j] = sizes[j] > 1 ? lambda / (sizes[j] - 1) : 0;
        }
    }

    /** The density at {@code x} (one value per variable). */
    double pdf(int[] x) {
        double sum = 0;
        for (int[] row : data) {
            double product = 1;
            for (int j = 0; j < x.length; j++) {
                product *= x[j] == row[j] ? same[j] : other[j];
            }
            sum += product;
        }
        return sum / data.length;
    }

    double bandwidth(int j) {
        return bandwidth[j];
    }

    int points() {
        return data.length;
    }

    int[] point(int i) {
        return data[i];
    }

    int size(int j) {
        return sizes[j];
    }
}
