package org.nashpo.worker.train;

import java.util.SplittableRandom;

/** A set of labelled images the trainer draws batches from. */
public interface Images {

    int size();

    /**
     * Writes images {@code indices[from … from+count)} as normalised NCHW floats into
     * {@code features} and their labels into {@code labels}; augments them with draws from
     * {@code augment}, or not at all when it is null.
     */
    void fill(int[] indices, int from, int count, float[] features, int[] labels, SplittableRandom augment);
}
