package org.nashpo.worker.data;

import org.nashpo.core.data.Dataset;

/**
 * How many images a run uses: the first {@code train} indices of the train set, the first {@code valid} of the
 * valid set and the first {@code test} of the test set of its split. NAS-HPO-Bench-II's full run is
 * 25,000 / 25,000 / 10,000; what a directory supports is {@link Split#available}.
 */
public record Subset(int train, int valid, int test) {

    /** The most images of one set a byte array can hold, at CIFAR's 3,072 bytes an image. */
    public static final int MAX_IMAGES = Integer.MAX_VALUE / Dataset.CIFAR10.imageBytes();

    public Subset {
        requireRange("train", train);
        requireRange("valid", valid);
        requireRange("test", test);
    }

    private static void requireRange(String field, int value) {
        if (value < 1 || value > MAX_IMAGES) {
            throw new DataException(field + ": must be 1–" + MAX_IMAGES + " images, was " + value);
        }
    }
}
