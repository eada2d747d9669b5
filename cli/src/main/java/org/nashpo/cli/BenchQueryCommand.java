package org.nashpo.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nashpo.bench.command.BenchQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench-query", mixinStandardHelpOptions = true,
        description = "Open a built benchmark and report the open time, the heap it holds and single-thread queries/s.")
final class BenchQueryCommand implements Callable<Integer> {

    @Option(names = "--bench", required = true, description = "A benchmark directory (manifest.json, runs-12/, predictions-200/).")
    private Path bench;

    @Option(names = "--verify", description = "Also check every file against the manifest's checksums.")
    private boolean verify;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        BenchQuery.Result r = BenchQuery.run(bench, verify);
        return output.emit(spec.commandLine().getOut(), r, r.text());
    }
}
