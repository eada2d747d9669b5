package org.nashpo.worker.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.CellCode;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.engine.CellEngine;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Steady-state training and inference speed of the worker's engine on random images: what one
 * training run will achieve on this machine, without the data pipeline. The first iterations
 * (building the plan's op contexts, oneDNN's primitive creation) are excluded.
 */
public final class Throughput {

    /**
     * @param trainImagesPerSecond SGD steps (forward, backward, update) × batch / seconds
     * @param inferImagesPerSecond inference-mode forward passes × batch / seconds
     * @param trainGflops achieved GFLOP/s in training, counting a training step as 3 forward passes
     *     and a multiply-add as 2 FLOPs
     * @param inferGflops achieved GFLOP/s in inference
     * @param peakRssBytes the process's peak resident memory so far (Linux), or -1
     */
    public record Result(String cellcode, int batchSize, NetworkShape network, int threads, long multiplyAdds,
            int warmup, int iterations, double trainImagesPerSecond, double inferImagesPerSecond, double trainGflops,
            double inferGflops, long peakRssBytes, String backend) {
    }

    private Throughput() {
    }

    public static Result measure(CellCode cell, int batchSize, NetworkShape shape, int threads, int warmup,
            int iterations) {
        Objects.requireNonNull(cell, "cell");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size: must be ≥ 1, was " + batchSize);
        }
        if (warmup < 0 || iterations < 1) {
            throw new IllegalArgumentException("iterations: must be ≥ 1 (warm-up ≥ 0), were " + iterations
                    + " and " + warmup);
        }
        Backend.configure(threads);
        try (CellEngine net = new CellEngine(cell, shape, DataType.FLOAT, batchSize)) {
            net.initialise(1);
            net.input(batchSize).assign(Nd4j.rand(DataType.FLOAT, batchSize, NetworkShape.IMAGE_CHANNELS,
                    shape.inputSize(), shape.inputSize()));
            int[] labels = new int[batchSize];
            for (int i = 0; i < batchSize; i++) {
                labels[i] = i % shape.classes();
            }
            for (int i = 0; i < warmup; i++) {
                net.forwardBackward(batchSize, labels);
                net.step(0.01, TrainingProtocol.MOMENTUM, TrainingProtocol.WEIGHT_DECAY);
            }
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                net.forwardBackward(batchSize, labels);
                net.step(0.01, TrainingProtocol.MOMENTUM, TrainingProtocol.WEIGHT_DECAY);
            }
            double train = (double) iterations * batchSize / ((System.nanoTime() - start) / 1e9);
            for (int i = 0; i < warmup; i++) {
                net.infer(batchSize);
            }
            start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                net.infer(batchSize);
            }
            double infer = (double) iterations * batchSize / ((System.nanoTime() - start) / 1e9);
            long macs = NetworkCost.of(cell, shape).multiplyAdds();
            return new Result(cell.toString(), batchSize, shape, Nd4j.getEnvironment().maxMasterThreads(), macs,
                    warmup, iterations, train, infer, train * macs * 2 * 3 / 1e9, infer * macs * 2 / 1e9, peakRss(),
                    Backend.describe());
        }
    }

    /** VmHWM of /proc/self/status: the peak resident set, which includes ND4J's off-heap memory. */
    static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | SecurityException | NumberFormatException e) {
            // not Linux: the figure is unknown
        }
        return -1;
    }
}
