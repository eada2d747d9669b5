package org.nashpo.cli;

import picocli.CommandLine.Option;

/** The data options shared by the commands that train: where the data is and how much of the split to use. */
final class DataOptions {

    @Option(names = "--data", required = true,
            description = "The data set's directory in its official layout (CIFAR-10 for asng-nas; train's --dataset "
                    + "for train): a local path or a Hadoop URI (hdfs://, s3a://).")
    String data;

    @Option(names = "--train-size", defaultValue = "0",
            description = "First N indices of the train split; 0 = all the data holds (default).")
    int trainSize;

    @Option(names = "--valid-size", defaultValue = "0",
            description = "First N indices of the valid split; 0 = all the data holds (default).")
    int validSize;
}
