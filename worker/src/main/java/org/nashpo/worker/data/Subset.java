package org.nashpo.worker.data;

/**
 * How many images a run uses: the first {@code train} indices of the train split, the first
 * {@code valid} of the valid split and the first {@code test} test images. The protocol's full
 * run is 25,000 / 25,000 / 10,000.
 */
public record Subset(int train, int valid, int test) {

    /** The most test images one byte array can hold. */
    public static final int MAX_TEST = Integer.MAX_VALUE / CifarImages.IMAGE_BYTES;

    public Subset {
        requireRange("train", train, Split.SIZE);
        requireRange("valid", valid, Split.SIZE);
        requireRange("test", test, MAX_TEST);
    }

    private static void requireRange(String field, int value, int max) {
        if (value < 1 || value > max) {
            throw new DataException(field + ": must be 1–" + max + " images, was " + value);
        }
    }
}
