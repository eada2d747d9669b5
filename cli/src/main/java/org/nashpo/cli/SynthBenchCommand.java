package org.nashpo.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nashpo.bench.command.SynthBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "synth-bench", mixinStandardHelpOptions = true,
        description = "Write a full-size synthetic benchmark (1,011 classes × 48 HPs × 3 seeds × 12 epochs, 200-epoch "
                + "predictions for all 196,608 configurations) in the benchmark format, for testing optimizers.")
final class SynthBenchCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Directory to write (must not exist).")
    private Path out;

    @Option(names = "--seed", defaultValue = "" + SynthBench.DEFAULT_SEED, description = "Seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        SynthBench.Result r = SynthBench.run(out, seed);
        return output.emit(spec.commandLine().getOut(), r, r.text());
    }
}
