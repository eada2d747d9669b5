package org.nashpo.worker.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where each batch-sized array of a training step lives: one arena shared by arrays whose lifetimes
 * do not overlap, as a framework's memory planner does. A forward activation lives from the op that
 * writes it to the last op that reads it (a backward op reading it included); a gradient from its
 * first write to the producer's backward. So an activation that backward never reads is gone after
 * its last consumer, and the gradients of a step are a handful at any time, not one per activation.
 *
 * <p>Lengths and offsets are counted per image: every batch-sized array is {@code batch × perImage},
 * so the same layout serves every batch size at offsets scaled by it, and the arena sized for the
 * largest batch holds the arrays of every smaller one.
 */
final class Layout {

    /** Offsets are multiples of this many elements per image (64 bytes in float32 at batch 1). */
    private static final long ALIGN = 16;

    /** One array's length per image and the first and last instants it is touched. */
    private static final class Slot {
        final long perImage;
        final int first;
        int last;
        long offset = -1;

        Slot(long perImage, int first) {
            this.perImage = perImage;
            this.first = first;
            this.last = first;
        }

        boolean overlaps(Slot o) {
            return first <= o.last && o.first <= last;
        }
    }

    private final Map<Object, Slot> slots = new LinkedHashMap<>();
    private long perImage = -1;

    /** Records that the array {@code key} of {@code perImage} elements per image is touched at {@code instant}. */
    void touch(Object key, long perImage, int instant) {
        if (this.perImage >= 0) {
            throw new IllegalStateException("the layout is already placed");
        }
        Slot s = slots.get(key);
        if (s == null) {
            slots.put(key, new Slot(perImage, instant));
            return;
        }
        if (s.perImage != perImage) {
            throw new IllegalStateException(key + ": touched as " + perImage + " and " + s.perImage + " per image");
        }
        s.last = Math.max(s.last, instant);
    }

    /**
     * Places every array, the largest first, at the lowest offset free of every placed array whose
     * lifetime overlaps its own.
     */
    void place() {
        List<Slot> bySize = new ArrayList<>(slots.values());
        bySize.sort(Comparator.comparingLong((Slot s) -> -s.perImage).thenComparingInt(s -> s.first));
        List<Slot> placed = new ArrayList<>();
        long end = 0;
        for (Slot s : bySize) {
            List<Slot> live = new ArrayList<>();
            for (Slot p : placed) {
                if (p.overlaps(s)) {
                    live.add(p);
                }
            }
            live.sort(Comparator.comparingLong(p -> p.offset));
            long offset = 0;
            for (Slot p : live) {
                if (offset + s.perImage <= p.offset) {
                    break;
                }
                offset = Math.max(offset, align(p.offset + p.perImage));
            }
            s.offset = offset;
            placed.add(s);
            end = Math.max(end, offset + s.perImage);
        }
        perImage = align(end);
    }

    /** The arena's length per image. */
    long perImage() {
        requirePlaced();
        return perImage;
    }

    /** The total length per image of the arrays had each its own memory. */
    long unsharedPerImage() {
        return slots.values().stream().mapToLong(s -> align(s.perImage)).sum();
    }

    /** The offset per image of {@code key}'s array. */
    long offset(Object key) {
        requirePlaced();
        Slot s = slots.get(Objects.requireNonNull(key, "key"));
        if (s == null) {
            throw new IllegalArgumentException("no array " + key + " in the layout");
        }
        return s.offset;
    }

    boolean contains(Object key) {
        return slots.containsKey(key);
    }

    private void requirePlaced() {
        if (perImage < 0) {
            throw new IllegalStateException("the layout is not placed yet");
        }
    }

    private static long align(long n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }
}
