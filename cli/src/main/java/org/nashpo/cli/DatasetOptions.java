package org.nashpo.cli;

import org.nashpo.core.data.Dataset;
import picocli.CommandLine.Option;

/**
 * The {@code --dataset} option of the commands that build or describe one network outside a spec: the data set it
 * is trained on, whose images it takes in and whose classes its head tells apart (docs/PROTOCOL.md §8).
 */
final class DatasetOptions {

    @Option(names = "--dataset", defaultValue = "cifar10", paramLabel = "DATASET",
            description = "The data set: cifar10 (32×32, 10 classes), cifar100 (32×32, 100) or imagenet16-120 "
                    + "(16×16, 120). Default: ${DEFAULT-VALUE}.")
    String dataset;

    Dataset dataset() {
        return Dataset.bySpecName(dataset).orElseThrow(() -> new IllegalArgumentException("--dataset " + dataset
                + ": unknown data set; expected one of " + String.join(", ", Dataset.specNames())));
    }
}
