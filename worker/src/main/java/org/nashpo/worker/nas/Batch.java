package org.nashpo.worker.nas;

import java.util.Arrays;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.worker.data.ImageSet;

/**
 * A minibatch as the search fills it: {@code size} images as normalised NCHW floats and their labels.
 * The arrays are reused from batch to batch; a model reads them during the call only.
 */
public final class Batch {

    public static final int PIXELS = NetworkShape.IMAGE_CHANNELS * NetworkShape.IMAGE_SIZE * NetworkShape.IMAGE_SIZE;

    private final float[] features;
    private final int[] labels;
    private int size;

    public Batch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity: must be ≥ 1, was " + capacity);
        }
        this.features = new float[capacity * PIXELS];
        this.labels = new int[capacity];
    }

    public int capacity() {
        return labels.length;
    }

    public int size() {
        return size;
    }

    /** The buffers {@link org.nashpo.worker.data.ImageSet#fill} writes into. */
    public float[] featureBuffer() {
        return features;
    }

    public int[] labelBuffer() {
        return labels;
    }

    /** Marks the first {@code n} images as this batch's. */
    public void setSize(int n) {
        if (n < 1 || n > capacity()) {
            throw new IllegalArgumentException("batch size: must be in 1.." + capacity() + ", was " + n);
        }
        size = n;
    }

    /** The features of the batch, exactly {@code size·PIXELS} values. */
    public float[] features() {
        return size == capacity() ? features : Arrays.copyOf(features, size * PIXELS);
    }

    /** The labels of the batch, exactly {@code size} values. */
    public int[] labels() {
        return size == capacity() ? labels : Arrays.copyOf(labels, size);
    }

    @Override
    public String toString() {
        return "Batch[" + size + "/" + capacity() + "]";
    }
}
