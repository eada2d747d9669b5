package org.nashpo.bench.experiment;

import java.util.Arrays;

/**
 * One run's incumbent over simulated time: each time an evaluation of the whole 12-epoch schedule
 * beats the best valid accuracy so far, the total cost at that point, the configuration and its
 * valid, 12-epoch test and 200-epoch accuracies. Partial (Hyperband, BOHB) evaluations never become
 * the incumbent. Immutable once built.
 */
public final class Trajectory {

    private final int run;
    private final int seed;
    private final int evaluations;
    private final double totalCost;
    private final double[] times;
    private final int[] configs;
    private final double[] valid;
    private final double[] test12;
    private final double[] test200;

    private Trajectory(Builder b) {
        this.run = b.run;
        this.seed = b.seed;
        this.evaluations = b.evaluations;
        this.totalCost = b.totalCost;
        this.times = Arrays.copyOf(b.times, b.size);
        this.configs = Arrays.copyOf(b.configs, b.size);
        this.valid = Arrays.copyOf(b.valid, b.size);
        this.test12 = Arrays.copyOf(b.test12, b.size);
        this.test200 = Arrays.copyOf(b.test200, b.size);
    }

    /** The run's number within its algorithm (0-based); runs of equal number read the same training seed. */
    public int run() {
        return run;
    }

    /** The benchmark's training seed the run read. */
    public int seed() {
        return seed;
    }

    /** Queries made, partial ones included. */
    public int evaluations() {
        return evaluations;
    }

    /** Simulated seconds spent. */
    public double totalCost() {
        return totalCost;
    }

    /** Incumbent changes. */
    public int size() {
        return times.length;
    }

    public double time(int i) {
        return times[i];
    }

    public int config(int i) {
        return configs[i];
    }

    public double valid(int i) {
        return valid[i];
    }

    public double test12(int i) {
        return test12[i];
    }

    public double test200(int i) {
        return test200[i];
    }

    /** Position of the incumbent at simulated time {@code t} (found by then); −1 if none yet. */
    public int at(double t) {
        int i = Arrays.binarySearch(times, t);
        if (i >= 0) {
            while (i + 1 < times.length && times[i + 1] == t) {
                i++;
            }
            return i;
        }
        return -i - 2;
    }

    /** Position of the final incumbent; −1 if the run evaluated no whole schedule. */
    public int last() {
        return times.length - 1;
    }

    static final class Builder {
        private final int run;
        private final int seed;
        private int evaluations;
        private double totalCost;
        private int size;
        private double[] times = new double[16];
        private int[] configs = new int[16];
        private double[] valid = new double[16];
        private double[] test12 = new double[16];
        private double[] test200 = new double[16];

        Builder(int run, int seed) {
            this.run = run;
            this.seed = seed;
        }

        void evaluated(double total) {
            evaluations++;
            totalCost = total;
        }

        /** A new incumbent, found when the total cost reached {@code time}. */
        void incumbent(double time, int config, double validAccuracy, double test12Accuracy, double test200Accuracy) {
            if (size == times.length) {
                int n = size * 2;
                times = Arrays.copyOf(times, n);
                configs = Arrays.copyOf(configs, n);
                valid = Arrays.copyOf(valid, n);
                test12 = Arrays.copyOf(test12, n);
                test200 = Arrays.copyOf(test200, n);
            }
            times[size] = time;
            configs[size] = config;
            valid[size] = validAccuracy;
            test12[size] = test12Accuracy;
            test200[size] = test200Accuracy;
            size++;
        }

        Trajectory build() {
            return new Trajectory(this);
        }
    }
}
