package org.nashpo.bench.jmh;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nashpo.bench.SyntheticFixture;
import org.nashpo.bench.query.Mode;
import org.nashpo.bench.query.Session;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread query throughput on the full-size synthetic benchmark (written once per fork): each
 * invocation answers {@value #BATCH} random configurations, so many that the answers do not stay in
 * the CPU's caches. Run briefly with
 * {@code java -cp <test classpath> org.openjdk.jmh.Main QueryBenchmark} (see docs/BENCHMARK-FORMAT.md).
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class QueryBenchmark {

    static final int BATCH = 1 << 22;

    private org.nashpo.bench.query.Benchmark bench;
    private Session session;
    private final int[] indices = new int[BATCH];
    private final double[] accuracies = new double[BATCH];
    private final double[] costs = new double[BATCH];

    @Setup(Level.Trial)
    public void open() {
        Path dir = SyntheticFixture.shared();
        bench = org.nashpo.bench.query.Benchmark.open(dir);
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < BATCH; i++) {
            indices[i] = rng.nextInt(bench.configurationCount());
        }
    }

    @Setup(Level.Iteration)
    public void newSession() {
        session = bench.newSession();
    }

    /** One query = its accuracy and its cost, the pair an optimizer reads. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double accuracyAndCost() {
        double sum = 0;
        for (int index : indices) {
            sum += bench.accuracy(index, Mode.VALID, 12, 222) + bench.cost(index, Mode.VALID, 12, 222);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double accuracyOnly() {
        double sum = 0;
        for (int index : indices) {
            sum += bench.accuracy(index, Mode.VALID, 12, 222);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] batch() {
        bench.query(indices, Mode.VALID, 12, 222, accuracies, costs);
        return accuracies;
    }

    /** Logged queries, as an optimizer run makes them (the log grows; reset per invocation). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double session() {
        session.reset();
        double sum = 0;
        for (int index : indices) {
            sum += session.query(index, Mode.VALID, 12, 222);
        }
        return sum;
    }
}
