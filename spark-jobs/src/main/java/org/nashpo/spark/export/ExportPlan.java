package org.nashpo.spark.export;

import java.util.Map;
import java.util.Objects;

/**
 * What the export job reads and writes.
 *
 * @param bench the benchmark directory (any Hadoop FileSystem URI)
 * @param format what to write
 * @param out the directory to publish (any Hadoop FileSystem URI)
 * @param overwrite whether an existing {@code out} is replaced
 * @param hadoopProperties the job's {@code spark.hadoop.*} settings without the prefix
 */
public record ExportPlan(String bench, ExportFormat format, String out, boolean overwrite,
        Map<String, String> hadoopProperties) {

    public ExportPlan {
        Objects.requireNonNull(bench, "bench");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(out, "out");
        hadoopProperties = Map.copyOf(hadoopProperties);
        if (bench.isBlank()) {
            throw new IllegalArgumentException("bench: is empty; expected the URI of a benchmark directory");
        }
        if (out.isBlank()) {
            throw new IllegalArgumentException("out: is empty; expected the URI of the directory to write");
        }
    }
}
