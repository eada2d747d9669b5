package org.nashpo.spark.construct;

import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;

/**
 * Counts finished training tasks on the driver and reports runs done, diverged, failed, the rate
 * and the ETA. Spark merges a task's accumulator updates before it posts the task's end.
 *
 * <p>The ETA weighs runs by their predicted time: elapsed × (predicted seconds left / predicted
 * seconds done). Longest runs go first, so counting runs alone would overestimate it badly. Task
 * {@code i} of the job trains the {@code i}-th run of the list the predictions come from.
 */
final class ProgressListener extends SparkListener {

    private final int total;
    private final double[] predicted;
    private final double predictedTotal;
    private double predictedDone;
    private final LongAccumulator diverged;
    private final LongAccumulator failed;
    private final Progress progress;
    private final long start = System.nanoTime();
    private int done;

    ProgressListener(double[] predicted, LongAccumulator diverged, LongAccumulator failed, Progress progress) {
        this.total = predicted.length;
        this.predicted = predicted.clone();
        this.predictedTotal = java.util.Arrays.stream(predicted).sum();
        this.diverged = diverged;
        this.failed = failed;
        this.progress = progress;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        // the listener lives only while the construct job runs; failed attempts are retried, not done
        if (taskEnd.reason() != Success$.MODULE$ || done >= total) {
            return;
        }
        done++;
        int index = taskEnd.taskInfo().index();
        predictedDone += index >= 0 && index < total ? predicted[index] : predictedTotal / total;
        report();
    }

    /**
     * Called by the driver once the job's results are in: Spark's listener bus is asynchronous,
     * so the last task ends may not have been delivered yet; report them now, once.
     */
    synchronized void finish(int finished) {
        while (done < Math.min(finished, total)) {
            done++;
            predictedDone = done == total ? predictedTotal : Math.max(predictedDone, predictedTotal * done / total);
            report();
        }
    }

    private void report() {
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = done / seconds * 3600;
        double eta = predictedDone > 0 ? seconds * Math.max(0, predictedTotal - predictedDone) / predictedDone
                : (total - done) / rate * 3600;
        progress.update(done, total, diverged.value(), failed.value(), rate, eta);
    }
}
