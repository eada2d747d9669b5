package org.nashpo.cli;

import java.util.concurrent.Callable;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.spec.Planner;
import org.nashpo.worker.train.Throughput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "perf-train", mixinStandardHelpOptions = true,
        description = "Measure steady-state training and inference speed (images/s, GFLOP/s) and peak memory "
                + "of one network on random images.")
final class PerfTrainCommand implements Callable<Integer> {

    @Option(names = "--cellcode", description = "Cell to build, in the space's digits or as a NAS-Bench-201 "
            + "architecture string (default: every edge a 3×3 convolution, 0|00|000 in NAS-HPO-Bench-II's space).")
    private String cellcode;

    @Option(names = "--batch-size", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Mixin
    private SpaceOptions space;

    @Mixin
    private NetworkOptions network;

    @Option(names = "--threads", defaultValue = "0",
            description = "ND4J threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed iterations first (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--iterations", defaultValue = "10", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    private int iterations;

    @Option(names = "--profile", description = "Instead of the speeds: time every layer of the steps by kind "
            + "(convolution, BatchNorm, ReLU, pooling, sums, head, update), forward, backward and in inference, "
            + "and count the ops a training step and an inference batch execute.")
    private boolean profile;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        var cells = space.searchSpace();
        var cell = cellcode == null ? Planner.REFERENCE_CELL.in(cells) : cells.parse(cellcode);
        if (profile) {
            return profile(cell, cells);
        }
        Throughput.Result r = Throughput.measure(cell, batchSize,
                network.shape(space.family()), threads,
                warmup, iterations);
        var out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, r);
            return Main.EXIT_OK;
        }
        NetworkShape s = r.network();
        out.printf("network     %s, %s, batch %d%n", r.cellcode(), s.describe(), r.batchSize());
        out.printf("backend     %s%n", r.backend());
        out.printf("training    %.1f images/s  (%.1f GFLOP/s)%n", r.trainImagesPerSecond(), r.trainGflops());
        out.printf("inference   %.1f images/s  (%.1f GFLOP/s)%n", r.inferImagesPerSecond(), r.inferGflops());
        out.printf("peak memory %s%n", r.peakRssBytes() < 0 ? "unknown" : String.format("%.2f GB", r.peakRssBytes() / 1e9));
        return Main.EXIT_OK;
    }

    private Integer profile(org.nashpo.core.space.CellCode cell, org.nashpo.core.space.SearchSpace cells) {
        Throughput.Profile p = Throughput.profile(cell, batchSize, network.shape(space.family()), threads, warmup,
                iterations);
        var out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, p);
            return Main.EXIT_OK;
        }
        out.printf("network     %s, %s, batch %d%n", p.cellcode(), p.network().describe(), p.batchSize());
        out.printf("backend     %s%n", p.backend());
        out.printf("%-36s %6s %10s %10s %12s%n", "per step (ms)", "layers", "forward", "backward", "inference");
        double f = 0;
        double b = 0;
        double i = 0;
        for (Throughput.Row row : p.rows()) {
            out.printf("%-36s %6d %10.2f %10.2f %12.2f%n", row.kind(), row.layers(), row.forwardMs(),
                    row.backwardMs(), row.inferenceMs());
            f += row.forwardMs();
            b += row.backwardMs();
            i += row.inferenceMs();
        }
        out.printf("%-36s %6s %10.2f %10.2f %12.2f%n", "timed layers", "", f, b, i);
        out.printf("%-36s %6s %21.2f %12.2f%n", "wall time", "", p.trainStepMs(), p.inferBatchMs());
        out.printf("ops         training step: %d ND4J ops + %d engine-kernel calls; inference batch: %d + %d%n",
                p.libraryOpsPerTrainStep(), p.kernelCallsPerTrainStep(), p.libraryOpsPerInferBatch(),
                p.kernelCallsPerInferBatch());
        return Main.EXIT_OK;
    }
}
