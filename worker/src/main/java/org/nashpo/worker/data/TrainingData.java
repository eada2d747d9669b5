package org.nashpo.worker.data;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * The three image sets of one run, loaded and validated, with the checksums of the files they came
 * from.
 *
 * @param directory the data set's directory they were read from (fully qualified)
 * @param subset the sizes of the three sets
 * @param train the first {@code subset.train()} images of the train set, in split order
 * @param valid the first {@code subset.valid()} images of the valid set, in split order
 * @param test the first {@code subset.test()} images of the test set, in split order
 * @param checksums file name → md5 hex of the data files and the split files (provenance)
 */
public record TrainingData(URI directory, Subset subset, ImageSet train, ImageSet valid, ImageSet test,
        Map<String, String> checksums) {

    public TrainingData {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(subset, "subset");
        requireSize("train", train, subset.train());
        requireSize("valid", valid, subset.valid());
        requireSize("test", test, subset.test());
        checksums = Map.copyOf(Objects.requireNonNull(checksums, "checksums"));
    }

    private static void requireSize(String field, ImageSet images, int expected) {
        Objects.requireNonNull(images, field);
        if (images.size() != expected) {
            throw new IllegalArgumentException(field + ": " + images.size() + " images, the subset says " + expected);
        }
    }
}
