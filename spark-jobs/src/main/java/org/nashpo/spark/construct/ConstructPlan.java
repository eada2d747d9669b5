package org.nashpo.spark.construct;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;

/**
 * Everything a construct job needs, resolved on the driver and shipped to every task.
 *
 * @param output the output directory (any Hadoop FileSystem URI)
 * @param dataUri the CIFAR-10 directory every executor reads
 * @param protocol the protocol all runs follow (its checksums are checked again on each executor)
 * @param keys the runs the spec asks for, in any order
 * @param specHash the spec's hash, for provenance
 * @param threadsPerTask CPU threads each training may use
 * @param hadoopProperties the job's {@code spark.hadoop.*} settings (without the prefix): executors
 *     read data and write runs with them, e.g. s3a credentials and endpoints
 */
public record ConstructPlan(String output, String dataUri, TrainingProtocol protocol, List<RunKey> keys,
        String specHash, int threadsPerTask, Map<String, String> hadoopProperties) implements Serializable {

    public ConstructPlan {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(dataUri, "dataUri");
        Objects.requireNonNull(protocol, "protocol");
        keys = List.copyOf(keys);
        hadoopProperties = Map.copyOf(hadoopProperties);
        if (threadsPerTask < 1) {
            throw new IllegalArgumentException("threadsPerTask: must be ≥ 1, was " + threadsPerTask);
        }
        for (RunKey k : keys) {
            if (!k.protocolId().equals(protocol.id())) {
                throw new IllegalArgumentException("run " + k + " is not of the plan's protocol " + protocol.id());
            }
        }
    }

    /** A Hadoop configuration with the job's settings, built where it is used (it is not serializable). */
    public org.apache.hadoop.conf.Configuration hadoopConfiguration() {
        return hadoopConfiguration(hadoopProperties);
    }

    /** A Hadoop configuration with the given settings on top of the defaults (core-site.xml etc.). */
    public static org.apache.hadoop.conf.Configuration hadoopConfiguration(Map<String, String> properties) {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        properties.forEach(conf::set);
        return conf;
    }
}
