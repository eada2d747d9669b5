package org.nashpo.worker.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;
import org.nashpo.core.network.NetworkShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory engines' plans view, sized for a largest batch: the arena of batch-sized arrays
 * ({@link Layout}), the input images, and zeros for activations that are zero (a node no edge
 * reaches). Plans run one at a time, so every plan of an engine — and every engine of a supernet,
 * one cellcode after another — can share it. The arena grows when an engine needs more; views of
 * the old one are then invalid, which {@link #generation()} tells.
 *
 * <p>ND4J 1.0.0-M2.1 allocates arrays natively, outside JavaCPP's accounting, so neither
 * {@code maxbytes} nor {@code maxphysicalbytes} bounds them. The engines' memory, by far a run's
 * largest, is therefore bounded here: a process-wide budget of JavaCPP's {@code maxbytes} (what the
 * launchers set from the task's memory, deploy/README.md), from which every array is reserved before
 * it is allocated and refused, with the figures, beyond it — this memory's own arrays, and through
 * {@link Reserved} an engine's parameters, their gradients and momentum and BatchNorm's running
 * statistics, and a supernet's shared weights. Not reserved: a plan's own small arrays (the head's
 * and BatchNorm's batch statistics, at most batch × channels each) and the ops' native temporaries.
 */
public final class EngineMemory implements AutoCloseable {

    private static final AtomicLong RESERVED = new AtomicLong();

    private final DataType type;
    private final int maxBatch;
    private final INDArray input;
    private final INDArray zeros;
    private INDArray arena;
    private long reservedBytes;
    private int generation;
    private boolean closed;

    /** Memory for networks of {@code shape} at batches up to {@code maxBatch}; the arena comes with the first engine. */
    public EngineMemory(NetworkShape shape, DataType type, int maxBatch) {
        this.type = type;
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch: must be ≥ 1, was " + maxBatch);
        }
        this.maxBatch = maxBatch;
        long buffers = maxBatch * buffersPerImage(shape) * type.width();
        reserve(buffers, "its input and zero buffers (batch " + maxBatch + ")");
        reservedBytes = buffers;
        input = Nd4j.zeros(type, maxBatch * imagePerImage(shape));
        zeros = Nd4j.zeros(type, maxBatch * largestPerImage(shape));
    }

    /** Elements per image of the input and zero buffers. */
    static long buffersPerImage(NetworkShape shape) {
        return imagePerImage(shape) + largestPerImage(shape);
    }

    private static long imagePerImage(NetworkShape shape) {
        return (long) NetworkShape.IMAGE_CHANNELS * shape.inputSize() * shape.inputSize();
    }

    /** The largest activation of any cell: the first stage's. */
    private static long largestPerImage(NetworkShape shape) {
        return (long) shape.channels(0) * shape.resolution(0) * shape.resolution(0);
    }

    public int maxBatch() {
        return maxBatch;
    }

    INDArray input() {
        return input;
    }

    INDArray zeros() {
        return zeros;
    }

    INDArray arena() {
        return arena;
    }

    /** Changes whenever the arena is replaced: plans built on an older generation must be rebuilt. */
    int generation() {
        return generation;
    }

    /** Makes the arena hold {@code perImage} elements for each image of the largest batch. */
    void ensure(long perImage) {
        if (closed) {
            throw new IllegalStateException("the engine memory is closed");
        }
        long length = Math.max(1, maxBatch * perImage);
        if (arena != null && arena.length() >= length) {
            return;
        }
        long bytes = length * type.width();
        long old = arena == null ? 0 : arena.length() * type.width();
        reserve(bytes - old, "its activations and gradients (batch " + maxBatch + ")");
        reservedBytes += bytes - old;
        if (arena != null) {
            arena.close();
        }
        arena = Nd4j.zeros(type, length);
        generation++;
    }

    /** Bytes held. */
    long bytes() {
        return reservedBytes;
    }

    /** Takes {@code bytes} from the process-wide budget, or refuses with the figures. */
    private static void reserve(long bytes, String what) {
        long budget = Pointer.maxBytes();
        long now;
        do {
            now = RESERVED.get();
            if (budget > 0 && now + bytes > budget) {
                throw new IllegalStateException(String.format(Locale.ROOT, "the engine needs %.2f GB more off-heap "
                        + "memory for %s, and its budget allows %.2f GB more (org.bytedeco.javacpp.maxbytes "
                        + "= %.2f GB, %.2f GB held by engines): give the JVM more (bin/nashpo and bin/submit set it from "
                        + "the memory they are given; deploy/README.md, \"Memory\")", bytes / 1e9, what,
                        (budget - now) / 1e9, budget / 1e9, now / 1e9));
            }
        } while (!RESERVED.compareAndSet(now, now + bytes));
    }

    /**
     * Arrays that live as long as their owner (an engine's parameters, a supernet's shared weights), each
     * reserved from the budget before it is allocated; closing frees them all and returns their bytes.
     */
    public static final class Reserved implements AutoCloseable {

        private final String what;
        private final List<INDArray> arrays = new ArrayList<>();
        private long bytes;

        /** @param what what the arrays hold, for the message that refuses one ("its parameters, ...") */
        public Reserved(String what) {
            this.what = what;
        }

        /** A new array of {@code length} zeros, reserved first: refused with the figures beyond the budget. */
        public INDArray zeros(DataType type, long length) {
            long size = length * type.width();
            reserve(size, what);
            INDArray array;
            try {
                array = Nd4j.zeros(type, length);
            } catch (RuntimeException | Error e) {
                RESERVED.addAndGet(-size);
                throw e;
            }
            arrays.add(array);
            bytes += size;
            return array;
        }

        @Override
        public void close() {
            arrays.forEach(INDArray::close);
            arrays.clear();
            RESERVED.addAndGet(-bytes);
            bytes = 0;
        }
    }

    /** Off-heap bytes all engines of this JVM hold now. */
    public static long reservedByEngines() {
        return RESERVED.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        input.close();
        zeros.close();
        if (arena != null) {
            arena.close();
        }
        RESERVED.addAndGet(-reservedBytes);
        reservedBytes = 0;
    }
}
