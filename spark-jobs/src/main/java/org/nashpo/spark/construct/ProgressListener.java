package org.nashpo.spark.construct;

import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;

/**
 * Counts finished training tasks on the driver and reports runs done, diverged, failed, the rate
 * and the ETA. Spark merges a task's accumulator updates before it posts the task's end.
 */
final class ProgressListener extends SparkListener {

    private final int total;
    private final LongAccumulator diverged;
    private final LongAccumulator failed;
    private final Progress progress;
    private final long start = System.nanoTime();
    private int done;

    ProgressListener(int total, LongAccumulator diverged, LongAccumulator failed, Progress progress) {
        this.total = total;
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
        report();
    }

    /**
     * Called by the driver once the job's results are in: Spark's listener bus is asynchronous,
     * so the last task ends may not have been delivered yet; report them now, once.
     */
    synchronized void finish(int finished) {
        while (done < Math.min(finished, total)) {
            done++;
            report();
        }
    }

    private void report() {
        double hours = (System.nanoTime() - start) / 3.6e12;
        double rate = done / hours;
        progress.update(done, total, diverged.value(), failed.value(), rate, (total - done) / rate * 3600);
    }
}
