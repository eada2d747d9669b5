package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.nashpo.bench.command.PerfQuery;

/**
 * The relations a measurement must satisfy whatever the machine's speed: each timed span lies
 * inside the command's wall time, rates and totals agree, derived figures follow from the measured
 * ones. A timer in the wrong unit, a span counted twice or a figure computed from the wrong count
 * breaks one of them.
 */
final class PerfRelations {

    private PerfRelations() {
    }

    /**
     * perf-query's figures, from a run that took {@code wallSeconds}: the open, the warm-up and the
     * measured loop all run inside the call, and the measured loop made at least one whole pass of
     * {@link PerfQuery#INDICES} queries in at most what remained of it.
     */
    static void query(JsonNode result, double wallSeconds) {
        double open = result.get("openSeconds").asDouble();
        assertThat(open).isPositive()
                .isLessThanOrEqualTo(wallSeconds - PerfQuery.WARM_UP_SECONDS - PerfQuery.MEASURE_SECONDS);
        double loopAtMost = wallSeconds - open - PerfQuery.WARM_UP_SECONDS;
        assertThat(result.get("queriesPerSecond").asDouble()).isGreaterThanOrEqualTo(PerfQuery.INDICES / loopAtMost);
    }

    /**
     * A throughput measurement (perf-train's result, doctor's {@code throughput}) from a call that
     * took {@code wallSeconds} while the heap held {@code heapBytesBefore} bytes: the timed training
     * and inference spans fit inside the call, GFLOP/s follow from images per second and the
     * network's multiply-adds (a training step counted as three forward passes), and the peak
     * resident set holds at least the heap in use.
     */
    static void throughput(JsonNode result, double wallSeconds, long heapBytesBefore) {
        int images = result.get("iterations").asInt() * result.get("batchSize").asInt();
        double train = result.get("trainImagesPerSecond").asDouble();
        double infer = result.get("inferImagesPerSecond").asDouble();
        assertThat(images / train + images / infer).isLessThanOrEqualTo(wallSeconds);
        long macs = result.get("multiplyAdds").asLong();
        assertThat(result.get("trainGflops").asDouble()).isCloseTo(train * macs * 2 * 3 / 1e9, within(1e-9 * train * macs));
        assertThat(result.get("inferGflops").asDouble()).isCloseTo(infer * macs * 2 / 1e9, within(1e-9 * infer * macs));
        assertThat(result.get("peakRssBytes").asLong()).isGreaterThanOrEqualTo(heapBytesBefore);
    }

    /** The heap in use now. */
    static long heapInUse() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
