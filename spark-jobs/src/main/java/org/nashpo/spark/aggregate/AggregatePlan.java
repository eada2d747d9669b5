package org.nashpo.spark.aggregate;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * What the aggregate job reads and writes.
 *
 * @param runs a construct output (any Hadoop FileSystem URI): its {@code runs/} directory is read
 * @param out the benchmark directory to publish
 * @param overwrite whether an existing benchmark at {@code out} is replaced
 * @param hadoopProperties the job's {@code spark.hadoop.*} settings without the prefix, for executors
 */
public record AggregatePlan(String runs, String out, boolean overwrite, Map<String, String> hadoopProperties)
        implements Serializable {

    public AggregatePlan {
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(out, "out");
        hadoopProperties = Map.copyOf(hadoopProperties);
        if (runs.isBlank()) {
            throw new IllegalArgumentException("runs: is empty; expected the URI of a construct output");
        }
        if (out.isBlank()) {
            throw new IllegalArgumentException("out: is empty; expected the URI of the benchmark to write");
        }
    }
}
