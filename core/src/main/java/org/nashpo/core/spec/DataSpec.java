package org.nashpo.core.spec;

import java.net.URI;
import java.util.Objects;
import java.util.OptionalInt;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;

/**
 * The data of a spec, how it is divided and how much of it each run uses (PROTOCOL.md §3, §8: the first N indices
 * of the train, valid and test sets of the split). An absent size means all the data holds; the construct job fills
 * it in when it reads the data ({@link BenchmarkSpec#protocol}).
 *
 * @param uri the data set's directory in its official layout, absolute: any Hadoop FileSystem URI
 * @param dataset which data set the directory holds
 * @param split how it is divided into train, valid and test
 * @param trainSize train images, 1 to the split's train set
 * @param validSize valid images, 1 to the split's valid set
 * @param testSize test images, 1 to the split's test set
 */
public record DataSpec(URI uri, Dataset dataset, DataSplit split, OptionalInt trainSize, OptionalInt validSize,
        OptionalInt testSize) {

    /** Images in each half of NAS-HPO-Bench-II's train/valid split of the 50,000 CIFAR-10 training images. */
    public static final int SPLIT_SIZE = 25_000;

    public DataSpec {
        Objects.requireNonNull(uri, "data.uri");
        Rules.require("data.uri", Rules.absolute(uri));
        Objects.requireNonNull(dataset, "data.dataset");
        Objects.requireNonNull(split, "data.split");
        Rules.require("data.split", Rules.splits(split, dataset));
        Objects.requireNonNull(trainSize, "data.trainSize");
        Objects.requireNonNull(validSize, "data.validSize");
        Objects.requireNonNull(testSize, "data.testSize");
        DataSplit.Sizes full = split.sizes(dataset);
        trainSize.ifPresent(n -> Rules.require("data.trainSize", Rules.between(1, full.train(), n)));
        validSize.ifPresent(n -> Rules.require("data.validSize", Rules.between(1, full.valid(), n)));
        testSize.ifPresent(n -> Rules.require("data.testSize", Rules.between(1, full.test(), n)));
    }

    /** CIFAR-10 divided as NAS-HPO-Bench-II divides it. */
    public DataSpec(URI uri, OptionalInt trainSize, OptionalInt validSize, OptionalInt testSize) {
        this(uri, Dataset.CIFAR10, DataSplit.NAS_HPO_BENCH_2, trainSize, validSize, testSize);
    }

    /** Whether the data is the default, NAS-HPO-Bench-II's CIFAR-10, which canonical texts leave unsaid. */
    public boolean isNasHpoBench2() {
        return dataset == Dataset.CIFAR10 && split == DataSplit.NAS_HPO_BENCH_2;
    }
}
