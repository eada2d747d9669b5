package org.nashpo.worker.data;

import java.util.SplittableRandom;

/**
 * A set of labelled images, as the trainer and the supernet draw batches from it. The images read from a
 * directory are {@link Images}; the three sets of a run are {@link TrainingData}.
 */
public interface ImageSet {

    /** The number of images. */
    int size();

    /**
     * Writes images {@code indices[from … from+count)} as normalised NCHW floats into
     * {@code features} and their labels into {@code labels}; augments them with draws from
     * {@code augment}, or not at all when it is null.
     */
    void fill(int[] indices, int from, int count, float[] features, int[] labels, SplittableRandom augment);
}
