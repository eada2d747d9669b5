package org.nashpo.worker.train;

import org.apache.hadoop.conf.Configuration;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.worker.data.Cifar10Directory;
import org.nashpo.worker.data.TrainingData;
import org.nashpo.worker.data.Split;
import org.nashpo.worker.data.Subset;

/** CIFAR-10 as the trainer sees it: the protocol's split and subset of a directory, with its checksums. */
public final class CifarTraining {

    private CifarTraining() {
    }

    /**
     * The largest subset a directory supports with the standard split: the train and valid indices
     * (in split order) up to the first one beyond its records, and all its test images.
     */
    public static Subset available(Cifar10Directory directory) {
        Split split = Split.standard();
        return new Subset(prefixBelow(split, true, directory.trainingRecords()),
                prefixBelow(split, false, directory.trainingRecords()),
                Math.toIntExact(directory.testRecords()));
    }

    private static int prefixBelow(Split split, boolean train, long records) {
        int n = 0;
        while (n < Split.SIZE && (train ? split.trainIndex(n) : split.validIndex(n)) < records) {
            n++;
        }
        return n;
    }

    /** Loads a subset and the protocol it implies for a network shape. */
    public static Loaded load(Cifar10Directory directory, Subset subset, NetworkShape shape) {
        TrainingData data = directory.load(Split.standard(), subset);
        TrainingProtocol protocol = new TrainingProtocol(shape, subset.train(), subset.valid(), subset.test(),
                data.checksums());
        return new Loaded(protocol, data);
    }

    /** Opens and validates a directory on any Hadoop FileSystem (a bare path is local). */
    public static Cifar10Directory open(String location) {
        return open(location, new Configuration());
    }

    /** As {@link #open(String)}, with the Hadoop settings (credentials, endpoints) of the caller. */
    public static Cifar10Directory open(String location, Configuration conf) {
        return Cifar10Directory.open(location, conf);
    }

    /** A loaded data set and the protocol its runs follow. */
    public record Loaded(TrainingProtocol protocol, TrainingData data) {
    }
}
