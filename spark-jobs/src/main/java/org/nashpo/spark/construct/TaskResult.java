package org.nashpo.spark.construct;

import java.io.Serializable;

/**
 * What one task reports to the driver (the record itself is already in the output).
 *
 * @param runId the run's id (its file name)
 * @param status COMPLETED, DIVERGED or FAILED
 * @param seconds the run's wall time
 * @param published false when another attempt had already published this run
 * @param device where it ran
 * @param gpuAddress the GPU address Spark assigned to the task, or null
 */
public record TaskResult(String runId, String status, double seconds, boolean published, String device,
        String gpuAddress) implements Serializable {
}
