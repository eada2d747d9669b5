package org.nashpo.worker.engine;

import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What libnd4j's own allocator holds, counted independently of the engines' budget: its memory counter of
 * the CPU device, to which every native array's allocation adds and from which its release subtracts.
 */
public final class NativeBytes {

    /**
     * What building and closing an owner of arrays showed.
     *
     * @param reserved bytes the build took from the engines' budget ({@link EngineMemory#reservedByEngines})
     * @param held native bytes the built owner holds (what its build allocated and kept)
     * @param freedOnClose native bytes the close freed
     * @param reservedAfterClose bytes of the budget still taken after the close (0: all returned)
     */
    public record Measured(long reserved, long held, long freedOnClose, long reservedAfterClose) {
    }

    private NativeBytes() {
    }

    /** Native bytes held now (ND4J spells the method getDeviceCouner). */
    public static long held() {
        return Nd4j.getEnvironment().getDeviceCouner(0);
    }

    /**
     * Builds an owner and closes it, letting the garbage collector release what earlier code and the
     * build's temporaries left before each count, so that the counts are the owner's arrays alone.
     */
    public static Measured measure(Supplier<? extends AutoCloseable> build) throws Exception {
        settle();
        long start = held();
        long budget = EngineMemory.reservedByEngines();
        AutoCloseable owner = build.get();
        long reserved = EngineMemory.reservedByEngines() - budget;
        settle();
        long built = held();
        owner.close();
        return new Measured(reserved, built - start, built - held(), EngineMemory.reservedByEngines() - budget);
    }

    /** Collects garbage until the native count stops moving (ND4J frees a collected array on its own threads). */
    private static void settle() throws InterruptedException {
        long last;
        long now = held();
        int quiet = 0;
        // five quiet rounds of 50 ms: three of 20 ms once let an earlier test's 12 MB go during a measurement
        for (int i = 0; i < 100 && quiet < 5; i++) {
            System.gc();
            Thread.sleep(50);
            last = now;
            now = held();
            quiet = now == last ? quiet + 1 : 0;
        }
    }
}
