package org.nashpo.spark.aggregate;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import org.nashpo.core.data.Dataset;

/**
 * What the aggregate job reads and writes.
 *
 * @param runs a construct output (any Hadoop FileSystem URI): its {@code runs/} directory is read
 * @param out the benchmark directory to publish
 * @param overwrite whether an existing benchmark at {@code out} is replaced
 * @param hadoopProperties the job's {@code spark.hadoop.*} settings without the prefix, for executors
 * @param dataset null: the runs are of one data set and {@code out} is their benchmark; a data set's spec name:
 *     its runs only, published as {@code out/NAME} in a directory of data sets (docs/BENCHMARK-FORMAT.md)
 * @param protocol null: the runs of this version's recipe (of the only protocol, if the output holds one); a
 *     protocol id: that protocol's runs. The runs of other protocols are left out and counted
 *     ({@code AggregateJob.Protocols})
 */
public record AggregatePlan(String runs, String out, boolean overwrite, Map<String, String> hadoopProperties,
        String dataset, String protocol) implements Serializable {

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
        if (dataset != null && Dataset.bySpecName(dataset).isEmpty()) {
            throw new IllegalArgumentException("dataset: unknown data set \"" + dataset + "\"; expected one of "
                    + String.join(", ", Dataset.specNames()));
        }
        if (protocol != null && protocol.isBlank()) {
            throw new IllegalArgumentException("protocol: is empty; expected a protocol id as nashpo status lists them "
                    + "(16 hex digits)");
        }
    }

    /** The runs of one data set (null: of the only one), of today's recipe. */
    public AggregatePlan(String runs, String out, boolean overwrite, Map<String, String> hadoopProperties,
            String dataset) {
        this(runs, out, overwrite, hadoopProperties, dataset, null);
    }

    /** The benchmark of all the runs, which must be of one data set. */
    public AggregatePlan(String runs, String out, boolean overwrite, Map<String, String> hadoopProperties) {
        this(runs, out, overwrite, hadoopProperties, null, null);
    }
}
