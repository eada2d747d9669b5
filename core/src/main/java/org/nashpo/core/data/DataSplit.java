package org.nashpo.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How a data set is divided into the train set a run trains on, the valid set it is selected by and the test set it
 * is reported on (docs/PROTOCOL.md §3, §8).
 *
 * <ul>
 *   <li>{@link #NAS_HPO_BENCH_2}: NAS-HPO-Bench-II's, for CIFAR-10 only: its 50,000 training images halved by the
 *       fixed lists {@code split-train.txt} and {@code split-valid.txt} (train and valid), the 10,000 test images
 *       (test); train <em>and valid</em> batches are augmented, as its code does;
 *   <li>{@link #NAS_BENCH_201}: NAS-Bench-201's (AutoDL-Projects {@code exps/NAS-Bench-201/main.py} and the split
 *       files of {@code configs/nas-benchmark/}): for CIFAR-10 its {@code cifar10-valid} (the training images
 *       halved by {@code cifar-split.txt}: train and x-valid; the test set: ori-test); for CIFAR-100 and
 *       ImageNet16-120 the whole training set (train) and the test set halved by {@code cifar100-test-split.txt}
 *       or {@code imagenet-16-120-test-split.txt} (x-valid and x-test); only train batches are augmented.
 * </ul>
 */
public enum DataSplit {
    NAS_HPO_BENCH_2("nas-hpo-bench-2"),
    NAS_BENCH_201("nas-bench-201");

    private final String specName;

    DataSplit(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    /** Whether the data set can be divided so: NAS-HPO-Bench-II's split is CIFAR-10's only. */
    public boolean supports(Dataset dataset) {
        return this == NAS_BENCH_201 || dataset == Dataset.CIFAR10;
    }

    /** Whether valid batches are augmented like train batches (NAS-HPO-Bench-II's do; NAS-Bench-201's do not). */
    public boolean augmentsValid() {
        return this == NAS_HPO_BENCH_2;
    }

    /** Whether the valid set is taken from the training images (else it is half of the test images). */
    public boolean validFromTraining(Dataset dataset) {
        return dataset == Dataset.CIFAR10;
    }

    /** The images of each set when the whole official data set is there. */
    public Sizes sizes(Dataset dataset) {
        requireSupports(dataset);
        if (dataset == Dataset.CIFAR10) {
            return new Sizes(dataset.trainImages() / 2, dataset.trainImages() / 2, dataset.testImages());
        }
        return new Sizes(dataset.trainImages(), dataset.testImages() / 2, dataset.testImages() / 2);
    }

    /**
     * What a protocol's canonical text adds for this division of a data set: nothing for NAS-HPO-Bench-II's
     * CIFAR-10 (the recipe text says it, so every protocol id of before data sets stays the same); otherwise the
     * data set, the split, and the normalisation and augmentation that replace the recipe's.
     */
    public String protocolText(Dataset dataset) {
        requireSupports(dataset);
        if (dataset == Dataset.CIFAR10 && this == NAS_HPO_BENCH_2) {
            return "";
        }
        return ";dataset=" + dataset.specName() + ";split=" + specName + ";" + dataset.recipe(augmentsValid());
    }

    /** Throws an {@link IllegalArgumentException} naming both when the data set cannot be divided so. */
    public void requireSupports(Dataset dataset) {
        if (!supports(dataset)) {
            throw new IllegalArgumentException("split " + specName + " divides " + Dataset.CIFAR10.specName()
                    + " only, not " + dataset.specName() + "; " + dataset.specName() + " has " + NAS_BENCH_201.specName
                    + "'s");
        }
    }

    public static Optional<DataSplit> bySpecName(String name) {
        return Arrays.stream(values()).filter(s -> s.specName.equals(name)).findFirst();
    }

    public static List<String> specNames() {
        return Arrays.stream(values()).map(DataSplit::specName).toList();
    }

    @Override
    public String toString() {
        return specName;
    }

    /** Images of the train, valid and test sets. */
    public record Sizes(int train, int valid, int test) {
    }
}
