package org.nashpo.core.run;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.nashpo.core.StableId;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;

/**
 * Everything that changes a run's results besides its key (PROTOCOL.md §2–§3, §8): the network shape and the
 * data set it is trained on, how that data set is divided, the data subset and the checksums of every input file,
 * and the fixed training recipe. Runs are comparable, and may be merged into one benchmark, only when their
 * protocol ids are equal.
 *
 * @param network width, cells per stage, stages, the network family and the data set
 * @param trainSize images of the train set used (the first N indices of the split)
 * @param validSize images of the valid set used
 * @param testSize images of the test set used
 * @param dataChecksums input file name → md5 (data files and split lists)
 * @param split how the data set is divided into train, valid and test
 */
public record TrainingProtocol(NetworkShape network, int trainSize, int validSize, int testSize,
        Map<String, String> dataChecksums, DataSplit split) implements Serializable {

    /**
     * The fixed recipe; bump the version when any of it changes, so old and new runs never mix.
     * Recipe 2 (TrainingRun schema v3): times as the original's (train = the training loop,
     * valid/test = their own pass, the train-set evaluation timed apart), evaluation at the run's
     * batch size with the mean of per-batch losses; the engine as the golden step test pins it
     * (inference never writes into its input, the avg-pool gradient counts padding, layers without
     * a gradient are not decayed, BN's running variance unbiased).
     * Recipe 3: the network on ND4J's declarable ops (the worker's engine): initial weights drawn
     * from one stream in network order, parameter by parameter; the loss from the logits.
     */
    public static final String RECIPE = "nashpo-recipe-3:"
            + "sgd(momentum=0.9,nesterov=torch,weight_decay=5e-4 on every parameter with a gradient);"
            + "lr=cosine-per-epoch;loss=mean-cross-entropy;"
            + "bn(eps=1e-5,momentum=0.1,running-var=unbiased);init=torch-default(one-stream,network-order);"
            + "zero-edge=zeros_like;loss-from=logits;"
            + "normalize(mean=125.3/123.0/113.9,std=63.0/62.1/66.7);"
            + "augment(train+valid: crop32-pad4-zero, hflip0.5);eval=train+valid+test-each-epoch;"
            + "eval-batch=run's;eval-loss=mean-of-batch-means;"
            + "times(train=loop,valid=valid-pass,test=test-pass,train-eval=own-field)";
    public static final double MOMENTUM = 0.9;
    public static final double WEIGHT_DECAY = 5e-4;

    public TrainingProtocol {
        Objects.requireNonNull(network, "network");
        requirePositive("trainSize", trainSize);
        requirePositive("validSize", validSize);
        requirePositive("testSize", testSize);
        dataChecksums = Map.copyOf(Objects.requireNonNull(dataChecksums, "dataChecksums"));
        Objects.requireNonNull(split, "split").requireSupports(network.dataset());
    }

    /** The protocol of a network's data set divided as that data set is by default ({@code Dataset.defaultSplit}). */
    public TrainingProtocol(NetworkShape network, int trainSize, int validSize, int testSize,
            Map<String, String> dataChecksums) {
        this(network, trainSize, validSize, testSize, dataChecksums,
                Objects.requireNonNull(network, "network").dataset().defaultSplit());
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + ": must be ≥ 1, was " + value);
        }
    }

    /**
     * The canonical text the id hashes: stable across JVMs (sorted checksums, fixed formats). NAS-HPO-Bench-II's
     * CIFAR-10 division is the recipe's own and left unsaid; any other data set or split adds itself, its
     * normalisation and its augmentation ({@link DataSplit#protocolText}).
     */
    public String canonicalText() {
        StringBuilder s = new StringBuilder(RECIPE);
        s.append(";network=").append(network.width()).append('/').append(network.cellsPerStage())
                .append('/').append(network.stages());
        // the operations are not part of it: a cell's key names the operations it uses (RunKey), so an extended
        // space keeps its keys; NAS-HPO-Bench-II's family, the first, is the one a protocol leaves unsaid
        if (network.family() != NetworkFamily.NAS_HPO_BENCH_2) {
            s.append(";family=").append(network.family().specName());
        }
        s.append(split.protocolText(network.dataset()));
        s.append(";data=").append(trainSize).append('/').append(validSize).append('/').append(testSize);
        new TreeMap<>(dataChecksums).forEach((file, md5) -> s.append(';').append(file).append('=').append(md5));
        return s.toString();
    }

    /** 16 hex digits: the first 64 bits of the SHA-256 of {@link #canonicalText()}. */
    public String id() {
        return StableId.of(canonicalText());
    }
}
