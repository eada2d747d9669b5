package org.nashpo.worker.engine;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the engine's own kernels ({@link BatchNormKernel}) share: one fork–join pool per
 * thread count for the whole process, and NIO views of an array's native memory (from the array's own first
 * element, so a view into the arena is seen at its offset).
 */
final class KernelThreads {

    private static final ConcurrentHashMap<Integer, ForkJoinPool> POOLS = new ConcurrentHashMap<>();

    private KernelThreads() {
    }

    static ForkJoinPool of(int threads) {
        return POOLS.computeIfAbsent(threads, t -> new ForkJoinPool(t, pool -> {
            var w = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            w.setDaemon(true);
            w.setName("nashpo-kernel-" + w.getPoolIndex());
            return w;
        }, null, false));
    }

    static FloatBuffer floats(INDArray a) {
        return a == null ? null : new FloatPointer(a.data().addressPointer()).capacity(a.length()).limit(a.length())
                .position(0).asBuffer();
    }

    static DoubleBuffer doubles(INDArray a) {
        return a == null ? null : new DoublePointer(a.data().addressPointer()).capacity(a.length()).limit(a.length())
                .position(0).asBuffer();
    }
}
