package org.nashpo.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nashpo.bench.command.PerfQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "perf-query", mixinStandardHelpOptions = true,
        description = "Open a built benchmark and report the open time, the heap it holds and single-thread queries/s.")
final class PerfQueryCommand implements Callable<Integer> {

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
        PerfQuery.Result r = PerfQuery.run(bench, verify);
        return output.emit(spec.commandLine().getOut(), r, r.text());
    }
}
