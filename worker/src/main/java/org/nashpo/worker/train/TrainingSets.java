package org.nashpo.worker.train;

import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.worker.data.CifarDirectory;
import org.nashpo.worker.data.DataDirectory;
import org.nashpo.worker.data.Split;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.data.TrainingData;

/** A data set as the trainer sees it: the protocol's split and subset of a directory, with its checksums. */
public final class TrainingSets {

    private TrainingSets() {
    }

    /**
     * The largest subset a directory supports with a split: of each set, its indices up to the first one beyond
     * the images the directory holds.
     */
    public static Subset available(DataDirectory directory, DataSplit split) {
        return Split.of(directory.dataset(), split).available(directory.trainingRecords(), directory.testRecords());
    }

    /** As {@link #available(DataDirectory, DataSplit)} with the data set's default split. */
    public static Subset available(DataDirectory directory) {
        return available(directory, directory.dataset().defaultSplit());
    }

    /**
     * Loads a subset of a split and the protocol it implies for a network shape, which must be a network on the
     * directory's data set.
     */
    public static Loaded load(DataDirectory directory, DataSplit split, Subset subset, NetworkShape shape) {
        Objects.requireNonNull(shape, "shape");
        if (shape.dataset() != directory.dataset()) {
            throw new IllegalArgumentException("a network on " + shape.dataset() + " cannot train on "
                    + directory.dataset() + " (" + directory.uri() + ")");
        }
        TrainingData data = directory.load(Split.of(directory.dataset(), split), subset);
        TrainingProtocol protocol = new TrainingProtocol(shape, subset.train(), subset.valid(), subset.test(),
                data.checksums(), split);
        return new Loaded(protocol, data);
    }

    /** As {@link #load(DataDirectory, DataSplit, Subset, NetworkShape)} with the data set's default split. */
    public static Loaded load(DataDirectory directory, Subset subset, NetworkShape shape) {
        return load(directory, directory.dataset().defaultSplit(), subset, shape);
    }

    /** Opens and validates a CIFAR-10 directory on any Hadoop FileSystem (a bare path is local). */
    public static CifarDirectory open(String location) {
        return open(location, new Configuration());
    }

    /** As {@link #open(String)}, with the Hadoop settings (credentials, endpoints) of the caller. */
    public static CifarDirectory open(String location, Configuration conf) {
        return CifarDirectory.open(location, conf);
    }

    /** Opens and validates a data set's directory, with the Hadoop settings of the caller. */
    public static DataDirectory open(Dataset dataset, String location, Configuration conf) {
        return DataDirectory.open(dataset, location, conf);
    }

    /** A loaded data set and the protocol its runs follow. */
    public record Loaded(TrainingProtocol protocol, TrainingData data) {
    }
}
