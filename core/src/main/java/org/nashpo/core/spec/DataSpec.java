package org.nashpo.core.spec;

import java.net.URI;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The CIFAR-10 data of a spec and how much of it each run uses (PROTOCOL.md §3: the first N indices
 * of the train and valid splits, the first N test images). An absent size means all the data holds;
 * the construct job fills it in when it reads the data ({@link BenchmarkSpec#protocol}).
 *
 * @param uri the CIFAR-10 directory (binary batches), absolute: any Hadoop FileSystem URI
 * @param trainSize train images, 1–25,000
 * @param validSize valid images, 1–25,000
 * @param testSize test images, ≥ 1
 */
public record DataSpec(URI uri, OptionalInt trainSize, OptionalInt validSize, OptionalInt testSize) {

    /** Images in each half of the protocol's train/valid split of the 50,000 CIFAR-10 training images. */
    public static final int SPLIT_SIZE = 25_000;

    public DataSpec {
        Objects.requireNonNull(uri, "data.uri");
        Rules.require("data.uri", Rules.absolute(uri));
        Objects.requireNonNull(trainSize, "data.trainSize");
        Objects.requireNonNull(validSize, "data.validSize");
        Objects.requireNonNull(testSize, "data.testSize");
        trainSize.ifPresent(n -> Rules.require("data.trainSize", Rules.between(1, SPLIT_SIZE, n)));
        validSize.ifPresent(n -> Rules.require("data.validSize", Rules.between(1, SPLIT_SIZE, n)));
        testSize.ifPresent(n -> Rules.require("data.testSize", Rules.atLeast(1, n)));
    }
}
