package org.nashpo.worker.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.CellCode;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.engine.CellEngine;
import org.nashpo.worker.engine.StepProfile;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

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

    /**
     * Where a step's time goes, by kind of layer, and how many ops it executes.
     *
     * @param rows one per kind, in {@link StepProfile.Kind}'s order
     * @param trainStepMs the profiled training step's wall time (forward, loss, backward, update), ms
     * @param inferBatchMs the profiled inference batch's wall time, ms
     * @param libraryOpsPerTrainStep ops ND4J executed in one training step (its profiler's count: declarable
     *     ops, reductions, element-wise and scalar ops alike)
     * @param libraryOpsPerInferBatch the same for one inference batch
     * @param kernelCallsPerTrainStep calls of the engine's own kernels (BatchNorm) in one training step
     * @param kernelCallsPerInferBatch the same for one inference batch
     */
    public record Profile(String cellcode, int batchSize, NetworkShape network, int threads, int iterations,
            List<Row> rows, double trainStepMs, double inferBatchMs, long libraryOpsPerTrainStep,
            long libraryOpsPerInferBatch, long kernelCallsPerTrainStep, long kernelCallsPerInferBatch,
            String backend) {
    }

    /**
     * One kind of layer's share of a step.
     *
     * @param layers layers of the kind a training step runs forward
     * @param forwardMs their training forward per step, ms
     * @param backwardMs their backward per step, ms (the loss counts as the head's; the update is its own kind)
     * @param inferenceMs their inference forward per batch, ms
     */
    public record Row(String kind, long layers, double forwardMs, double backwardMs, double inferenceMs) {
    }

    private Throughput() {
    }

    /**
     * Profiles one network: {@code iterations} training steps and inference batches timed layer by layer
     * (after {@code warmup} untimed ones), then one step and one batch with ND4J's op profiler counting.
     */
    public static Profile profile(CellCode cell, int batchSize, NetworkShape shape, int threads, int warmup,
            int iterations) {
        check(cell, batchSize, warmup, iterations);
        Backend.configure(threads);
        try (CellEngine net = new CellEngine(cell, shape, DataType.FLOAT, batchSize)) {
            int[] labels = prepare(net, batchSize, shape);
            for (int i = 0; i < warmup; i++) {
                trainStep(net, batchSize, labels);
                net.infer(batchSize);
            }
            StepProfile train = new StepProfile();
            net.profile(train);
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                trainStep(net, batchSize, labels);
            }
            double trainMs = (System.nanoTime() - start) / 1e6 / iterations;
            StepProfile infer = new StepProfile();
            net.profile(infer);
            start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                net.infer(batchSize);
            }
            double inferMs = (System.nanoTime() - start) / 1e6 / iterations;
            net.profile(null);
            List<Row> rows = new ArrayList<>();
            for (StepProfile.Kind k : StepProfile.Kind.values()) {
                long layers = train.calls(k, StepProfile.Phase.FORWARD) / iterations;
                if (k == StepProfile.Kind.UPDATE) {
                    layers = train.calls(k, StepProfile.Phase.BACKWARD) / iterations;
                }
                rows.add(new Row(k.label(), layers, train.seconds(k, StepProfile.Phase.FORWARD) * 1e3 / iterations,
                        train.seconds(k, StepProfile.Phase.BACKWARD) * 1e3 / iterations,
                        infer.seconds(k, StepProfile.Phase.FORWARD) * 1e3 / iterations));
            }
            long bnTrain = train.calls(StepProfile.Kind.BATCH_NORM, StepProfile.Phase.FORWARD)
                    + train.calls(StepProfile.Kind.BATCH_NORM, StepProfile.Phase.BACKWARD);
            long bnInfer = infer.calls(StepProfile.Kind.BATCH_NORM, StepProfile.Phase.FORWARD);
            boolean ownKernel = net.batchNormOnOwnKernel();
            long opsTrain = countOps(() -> trainStep(net, batchSize, labels));
            long opsInfer = countOps(() -> net.infer(batchSize));
            return new Profile(cell.toString(), batchSize, shape, Nd4j.getEnvironment().maxMasterThreads(), iterations,
                    rows, trainMs, inferMs, opsTrain, opsInfer, ownKernel ? bnTrain / iterations : 0,
                    ownKernel ? bnInfer / iterations : 0, Backend.describe());
        }
    }

    /** The ops ND4J executes in {@code pass}, by its op profiler (switched on for the pass only). */
    private static long countOps(Runnable pass) {
        var executioner = Nd4j.getExecutioner();
        executioner.setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        try {
            OpProfiler.getInstance().reset();
            pass.run();
            return OpProfiler.getInstance().getInvocationsCount();
        } finally {
            executioner.setProfilingConfig(ProfilerConfig.builder().build());
            OpProfiler.getInstance().reset();
        }
    }

    private static void trainStep(CellEngine net, int batchSize, int[] labels) {
        net.forwardBackward(batchSize, labels);
        net.step(0.01, TrainingProtocol.MOMENTUM, TrainingProtocol.WEIGHT_DECAY);
    }

    private static void check(CellCode cell, int batchSize, int warmup, int iterations) {
        Objects.requireNonNull(cell, "cell");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size: must be ≥ 1, was " + batchSize);
        }
        if (warmup < 0 || iterations < 1) {
            throw new IllegalArgumentException("iterations: must be ≥ 1 (warm-up ≥ 0), were " + iterations
                    + " and " + warmup);
        }
    }

    /** Random images in the engine's input, and labels cycling through the classes. */
    private static int[] prepare(CellEngine net, int batchSize, NetworkShape shape) {
        net.initialise(1);
        net.input(batchSize).assign(Nd4j.rand(DataType.FLOAT, batchSize, NetworkShape.IMAGE_CHANNELS,
                shape.inputSize(), shape.inputSize()));
        int[] labels = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            labels[i] = i % shape.classes();
        }
        return labels;
    }

    public static Result measure(CellCode cell, int batchSize, NetworkShape shape, int threads, int warmup,
            int iterations) {
        check(cell, batchSize, warmup, iterations);
        Backend.configure(threads);
        try (CellEngine net = new CellEngine(cell, shape, DataType.FLOAT, batchSize)) {
            int[] labels = prepare(net, batchSize, shape);
            for (int i = 0; i < warmup; i++) {
                trainStep(net, batchSize, labels);
            }
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                trainStep(net, batchSize, labels);
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
