package org.nashpo.worker.engine;

/**
 * Training-mode BatchNorm as PyTorch defines it, in double precision and in the plainest loops: the batch
 * mean and biased variance normalise, the running variance takes the unbiased one (momentum 0.1, eps
 * 1e-5), and the backward is the textbook dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)).
 */
final class BatchNormReference {

    final double[] y;
    final double[] mean;
    final double[] variance;
    final double[] runningMean;
    final double[] runningVar;
    final double[] dx;
    final double[] dGamma;
    final double[] dBeta;

    /**
     * @param shape [N, C, H, W]; x, dy in c order
     * @param steps how many forward passes update the running statistics (each on the same x)
     */
    BatchNormReference(long[] shape, double[] x, double[] dy, double[] gamma, double[] beta, double[] runningMean,
            double[] runningVar, int steps) {
        int n = (int) shape[0];
        int c = (int) shape[1];
        int plane = (int) (shape[2] * shape[3]);
        double m = (double) n * plane;
        mean = new double[c];
        variance = new double[c];
        for (int k = 0; k < c; k++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < plane; j++) {
                    s += x[(i * c + k) * plane + j];
                }
            }
            mean[k] = s / m;
            double q = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < plane; j++) {
                    double d = x[(i * c + k) * plane + j] - mean[k];
                    q += d * d;
                }
            }
            variance[k] = q / m;
        }
        this.runningMean = runningMean.clone();
        this.runningVar = runningVar.clone();
        for (int s = 0; s < steps; s++) {
            for (int k = 0; k < c; k++) {
                this.runningMean[k] = (1 - CellEngine.BN_MOMENTUM) * this.runningMean[k] + CellEngine.BN_MOMENTUM * mean[k];
                this.runningVar[k] = (1 - CellEngine.BN_MOMENTUM) * this.runningVar[k]
                        + CellEngine.BN_MOMENTUM * variance[k] * m / (m - 1);
            }
        }
        y = new double[x.length];
        dx = new double[x.length];
        dGamma = new double[c];
        dBeta = new double[c];
        for (int k = 0; k < c; k++) {
            double sigma = Math.sqrt(variance[k] + CellEngine.BN_EPS);
            double sumDy = 0;
            double sumDyXHat = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < plane; j++) {
                    int at = (i * c + k) * plane + j;
                    double xHat = (x[at] - mean[k]) / sigma;
                    y[at] = gamma[k] * xHat + beta[k];
                    sumDy += dy[at];
                    sumDyXHat += dy[at] * xHat;
                }
            }
            dBeta[k] = sumDy;
            dGamma[k] = sumDyXHat;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < plane; j++) {
                    int at = (i * c + k) * plane + j;
                    double xHat = (x[at] - mean[k]) / sigma;
                    dx[at] = gamma[k] / sigma * (dy[at] - sumDy / m - xHat * sumDyXHat / m);
                }
            }
        }
    }
}
