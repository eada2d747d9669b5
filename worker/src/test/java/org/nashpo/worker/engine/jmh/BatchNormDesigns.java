package org.nashpo.worker.engine.jmh;

import java.util.concurrent.TimeUnit;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.engine.BatchNormArrays;
import org.nashpo.worker.engine.BatchNormDesign;
import org.nd4j.linalg.api.buffer.DataType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 26's BatchNorm designs timed per call, training forward (batch statistics, running statistics
 * updated) and backward (dx, dγ, dβ), on the BatchNorm shapes of the benchmark's networks at width 16, batch
 * 64 and 256 — beside PyTorch's {@code nn.BatchNorm2d} timed by tools/bn_torch.py in the same units (ms per
 * call). Each design is bound once to views into one arena ({@link BatchNormArrays}), as the engine binds its
 * steps. Run from the repository's root, on a quiet machine:
 *
 * <pre>
 * mvn -B -q -pl worker -am install -DskipTests
 * mvn -B -q -pl worker dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bn.cp
 * java -cp worker/target/test-classes:worker/target/classes:$(cat worker/target/bn.cp) \
 *     org.openjdk.jmh.Main BatchNormDesigns -p threads=2
 * /usr/bin/python3 tools/bn_torch.py
 * </pre>
 *
 * ({@code -p design=ONEDNN,ND4J_OPS} or {@code -p shape=64x16x32x32} narrow it; {@code -p type=DOUBLE} times
 * the designs that have a double path — not ONEDNN, whose BN is float32 only; {@code -p threads=0} leaves ND4J's
 * default of one thread per core.) The threads are ND4J's and OpenMP's, set by {@link Backend#configure} on the
 * benchmark's own thread; oneDNN 2.5.2 shares libnd4j's OpenMP runtime (OneDnnCoexistenceTest), so they bound
 * it too.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class BatchNormDesigns {

    /**
     * The designs; the Java kernel, once main has it, joins as {@code JAVA_KERNEL} (bound in
     * {@link BatchNormDesign.Kind#JAVA_KERNEL}).
     */
    @Param({"JAVA_KERNEL", "ONEDNN", "ND4J_MMUL", "ND4J_OPS"})
    public String design;

    /** N×C×H×W: the cells' BatchNorms at 32×32 and the last stage's at 8×8, batch 64 and 256. */
    @Param({"64x16x32x32", "64x64x8x8", "256x16x32x32", "256x64x8x8"})
    public String shape;

    @Param({"FLOAT"})
    public String type;

    @Param({"2"})
    public int threads;

    private BatchNormArrays arrays;
    private BatchNormDesign bn;

    @Setup(Level.Trial)
    public void bind() {
        Backend.configure(threads);
        String[] dims = shape.split("x");
        long[] s = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = Long.parseLong(dims[i]);
        }
        arrays = new BatchNormArrays(DataType.valueOf(type), s, 26);
        bn = BatchNormDesign.Kind.valueOf(design).bind(arrays);
        // the backward reads the statistics of a forward
        bn.forwardTraining();
    }

    @TearDown(Level.Trial)
    public void release() {
        bn.close();
        arrays.close();
    }

    @Benchmark
    public void forwardTraining() {
        bn.forwardTraining();
    }

    @Benchmark
    public void backward() {
        bn.backward();
    }
}
