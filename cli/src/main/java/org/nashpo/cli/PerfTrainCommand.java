package org.nashpo.cli;

import java.util.concurrent.Callable;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkShape;
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

    @Option(names = "--cellcode", defaultValue = "0|00|000", description = "Cell to build (default: ${DEFAULT-VALUE}).")
    private String cellcode;

    @Option(names = "--batch-size", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batchSize;

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
        Throughput.Result r = Throughput.measure(CellCode.parse(cellcode), batchSize, network.shape(), threads,
                warmup, iterations);
        var out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, r);
            return Main.EXIT_OK;
        }
        NetworkShape s = r.network();
        out.printf("network     %s, width %d, %d cells per stage, %d stages, batch %d%n", r.cellcode(), s.width(),
                s.cellsPerStage(), s.stages(), r.batchSize());
        out.printf("backend     %s%n", r.backend());
        out.printf("training    %.1f images/s  (%.1f GFLOP/s)%n", r.trainImagesPerSecond(), r.trainGflops());
        out.printf("inference   %.1f images/s  (%.1f GFLOP/s)%n", r.inferImagesPerSecond(), r.inferGflops());
        out.printf("peak memory %s%n", r.peakRssBytes() < 0 ? "unknown" : String.format("%.2f GB", r.peakRssBytes() / 1e9));
        return Main.EXIT_OK;
    }
}
