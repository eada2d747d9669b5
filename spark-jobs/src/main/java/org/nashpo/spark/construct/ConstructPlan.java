package org.nashpo.spark.construct;

import java.io.Serializable;
import java.util.List;
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
 */
public record ConstructPlan(String output, String dataUri, TrainingProtocol protocol, List<RunKey> keys,
        String specHash, int threadsPerTask) implements Serializable {

    public ConstructPlan {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(dataUri, "dataUri");
        Objects.requireNonNull(protocol, "protocol");
        keys = List.copyOf(keys);
        if (threadsPerTask < 1) {
            throw new IllegalArgumentException("threadsPerTask: must be ≥ 1, was " + threadsPerTask);
        }
        for (RunKey k : keys) {
            if (!k.protocolId().equals(protocol.id())) {
                throw new IllegalArgumentException("run " + k + " is not of the plan's protocol " + protocol.id());
            }
        }
    }
}
