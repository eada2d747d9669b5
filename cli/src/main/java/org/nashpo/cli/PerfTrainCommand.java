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

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        var cells = space.searchSpace();
        var cell = cellcode == null ? Planner.REFERENCE_CELL.in(cells) : cells.parse(cellcode);
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
}
