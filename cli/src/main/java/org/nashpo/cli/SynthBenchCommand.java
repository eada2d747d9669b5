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
        description = {"Write a full-size synthetic benchmark (1,011 classes × 48 HPs × 3 seeds × 12 epochs, 200-epoch "
                + "predictions for all 196,608 configurations) in the benchmark format, for testing optimizers.",
                "With --spec, the synthetic benchmark of a spec's space, network and grid: its shortest schedule on the "
                + "classes it selects, and predictions of every configuration if it has a longer one (e.g. --spec "
                + "examples/nas-bench-201-hp.yaml: NAS-Bench-201's space, 781,200 runs)."})
final class SynthBenchCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Directory to write (must not exist).")
    private Path out;

    @Option(names = "--seed", defaultValue = "" + SynthBench.DEFAULT_SEED, description = "Seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--spec", paramLabel = "SPEC",
            description = "Write the synthetic benchmark of this spec's space, network and grid instead of "
                    + "NAS-HPO-Bench-II's.")
    private String specFile;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        SynthBench.Result r = specFile == null ? SynthBench.run(out, seed)
                : SynthBench.run(out, seed, SpecPlanning.read(specFile));
        return output.emit(spec.commandLine().getOut(), r, r.text());
    }
}
