package org.nashpo.worker.data;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.nashpo.core.data.Dataset;

/**
 * A data set's files in their official layout on any Hadoop FileSystem, checked when opened: CIFAR-10's and
 * CIFAR-100's binary versions ({@link CifarDirectory}), ImageNet16's pickles ({@link ImageNet16Directory}). Every
 * problem is a {@link DataException} naming the file's full URI and what is wrong with it, raised before any
 * training starts.
 */
public sealed interface DataDirectory permits CifarDirectory, ImageNet16Directory {

    /**
     * Opens and checks the directory of a data set; a location without a scheme is a path on the local file
     * system.
     */
    static DataDirectory open(Dataset dataset, String location, Configuration conf) {
        return dataset == Dataset.IMAGENET16_120 ? ImageNet16Directory.open(location, conf)
                : CifarDirectory.open(dataset, location, conf);
    }

    /** The data set the files hold. */
    Dataset dataset();

    /** The directory, fully qualified (e.g. {@code file:/data/cifar-10}, {@code hdfs://nn:8020/cifar}). */
    URI uri();

    /** Images of the training files together (ImageNet16-120: those of its 120 classes). */
    long trainingRecords();

    /** Images of the test files (ImageNet16-120: of its validation file, in its 120 classes). */
    long testRecords();

    /**
     * Reads the subset of {@code split}: checks first that the files hold every image it needs, then reads each
     * file once, whole (its md5 and every label are checked), keeping only the images the subset uses; the
     * checksums of the data files and the split's files come with them.
     */
    TrainingData load(Split split, Subset subset);
}
