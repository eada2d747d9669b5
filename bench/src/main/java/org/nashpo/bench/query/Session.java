package org.nashpo.bench.query;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The log of one optimizer run over a shared {@link Benchmark}, as the original API keeps it: every
 * short-schedule (12-epoch) query with its accuracy and cost, the running total cost, and the best
 * configuration so far (the first query, then any with a strictly higher accuracy). Long-schedule
 * (200-epoch) queries are answered
 * but, as in the original, neither logged nor charged. Not thread-safe: one session per run.
 */
public final class Session {

    private final Benchmark benchmark;
    private int size;
    private int[] configs = new int[64];
    private byte[] modes = new byte[64];
    private byte[] iepochs = new byte[64];
    private int[] seeds = new int[64];
    private double[] accuracies = new double[64];
    private double[] costs = new double[64];
    private double[] totals = new double[64];
    /** Log position of the best entry up to and including each entry. */
    private int[] bestAt = new int[64];
    private double totalCost;

    Session(Benchmark benchmark) {
        this.benchmark = Objects.requireNonNull(benchmark, "benchmark");
    }

    public Benchmark benchmark() {
        return benchmark;
    }

    /** A logged 12-epoch query: returns the accuracy and charges the cost. */
    public double query(int configIndex, Mode mode, int iepoch, int seed) {
        double accuracy = benchmark.accuracy(configIndex, mode, iepoch, seed);
        double cost = benchmark.cost(configIndex, mode, iepoch, seed);
        log(configIndex, mode, iepoch, seed, accuracy, cost);
        return accuracy;
    }

    /** Answers a query; a 12-epoch one is logged and charged. */
    public Answer query(Query q) {
        Answer answer = benchmark.query(q);
        if (q.epoch() == benchmark.shortEpochs()) {
            log(benchmark.indexOf(q.configuration()), q.mode(), q.iepoch(), q.seed(), answer.accuracy(),
                    answer.cost().orElseThrow());
        }
        return answer;
    }

    private void log(int config, Mode mode, int iepoch, int seed, double accuracy, double cost) {
        if (size == configs.length) {
            grow();
        }
        totalCost += cost;
        configs[size] = config;
        modes[size] = (byte) mode.ordinal();
        iepochs[size] = (byte) iepoch;
        seeds[size] = seed;
        accuracies[size] = accuracy;
        costs[size] = cost;
        totals[size] = totalCost;
        bestAt[size] = size == 0 || accuracy > accuracies[bestAt[size - 1]] ? size : bestAt[size - 1];
        size++;
    }

    private void grow() {
        int n = configs.length * 2;
        configs = Arrays.copyOf(configs, n);
        modes = Arrays.copyOf(modes, n);
        iepochs = Arrays.copyOf(iepochs, n);
        seeds = Arrays.copyOf(seeds, n);
        accuracies = Arrays.copyOf(accuracies, n);
        costs = Arrays.copyOf(costs, n);
        totals = Arrays.copyOf(totals, n);
        bestAt = Arrays.copyOf(bestAt, n);
    }

    /** Logged queries. */
    public int size() {
        return size;
    }

    /** Sum of the costs of every logged query (simulated seconds). */
    public double totalCost() {
        return totalCost;
    }

    /** Configuration index of the best query so far; −1 before the first. */
    public int bestConfigIndex() {
        return size == 0 ? -1 : configs[bestAt[size - 1]];
    }

    /** Accuracy of the best query so far; NaN before the first. */
    public double bestAccuracy() {
        return size == 0 ? Double.NaN : accuracies[bestAt[size - 1]];
    }

    /** The i-th logged query (0-based), with the running total and best after it. */
    public LogEntry entry(int i) {
        Objects.checkIndex(i, size);
        int b = bestAt[i];
        return new LogEntry(configs[i], Mode.VALUES[modes[i]], iepochs[i], seeds[i], accuracies[i], costs[i], totals[i],
                configs[b], accuracies[b]);
    }

    /** The whole log, a read-only view in query order. */
    public List<LogEntry> log() {
        return new AbstractList<>() {
            @Override
            public LogEntry get(int i) {
                return entry(i);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /**
     * What the run found (the original's {@code get_results}): the best configuration, its 12-epoch
     * test accuracy at the end of the schedule with the seed its best query used, and its 200-epoch
     * predicted accuracy (NaN if the benchmark has no prediction for it). An error before the first query.
     */
    public SessionResult result() {
        if (size == 0) {
            throw new IllegalStateException("session has no queries yet; a result needs at least one 12-epoch query");
        }
        int b = bestAt[size - 1];
        int config = configs[b];
        return new SessionResult(benchmark.space(), config, seeds[b], accuracies[b],
                benchmark.accuracy(config, Mode.TEST, benchmark.shortEpochs(), seeds[b]),
                benchmark.hasLongAccuracy(config) ? benchmark.longAccuracy(config) : Double.NaN, size, totalCost);
    }

    /** Forgets every query, to start another run. */
    public void reset() {
        size = 0;
        totalCost = 0;
    }
}
