package org.nashpo.worker.train;

import java.util.Map;
import java.util.Objects;

/**
 * The three image sets of a run, loaded and validated, with the checksums of the files they came from.
 *
 * @param uri where the data was read from
 * @param checksums file name → md5 of every input file (data batches and split lists)
 */
public record TrainingData(String uri, Images train, Images valid, Images test, Map<String, String> checksums) {

    public TrainingData {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(valid, "valid");
        Objects.requireNonNull(test, "test");
        checksums = Map.copyOf(checksums);
    }
}
