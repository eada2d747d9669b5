package org.nashpo.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nashpo.core.spec.BenchmarkSpec;
import org.nashpo.spark.construct.ScaleBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "perf-construct", mixinStandardHelpOptions = true,
        description = {"Measure how long construct takes to find what is left to train in a large output: fills "
                + "--out with a synthetic record for every run of --spec (kept for the next measurement), then runs "
                + "the construct job on it and times its decision.",
                "E.g. the full NAS-HPO-Bench-II spec: perf-construct --spec examples/nas-hpo-bench-2.yaml --out DIR "
                + "(159,984 runs)."})
final class PerfConstructCommand implements Callable<Integer> {

    @Option(names = "--spec", required = true, description = "The spec whose runs to fill in (its data is not read).")
    private String specFile;

    @Option(names = "--out", required = true, description = "Output to fill and scan: a local path or a Hadoop FS URI.")
    private String out;

    @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default: ${DEFAULT-VALUE}).")
    private String master;

    @Option(names = "--threads", defaultValue = "4", description = "Writers filling the output (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads: must be ≥ 1, was " + threads);
        }
        BenchmarkSpec benchmark = SpecPlanning.read(specFile);
        URI target = Uris.of(out, "--out");
        PrintWriter err = spec.commandLine().getErr();
        SparkConf conf = SparkSetup.conf("nashpo perf-construct", master);
        ScaleBenchmark.Result r;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            r = ScaleBenchmark.run(sc, benchmark, target, threads, n -> {
                err.printf("perf-construct: %,d synthetic runs written%n", n);
                err.flush();
            });
        }
        String text = String.format("%s: %,d runs in the spec; %,d synthetic records written in %.1f s; construct found "
                + "%,d present, %,d to train, %d unreadable files, in %.1f s (%s)", r.output(), r.runs(), r.filled(),
                r.fillSeconds(), r.skipped(), r.trained(), r.unreadable().size(), r.decideSeconds(), master);
        output.emit(spec.commandLine().getOut(), r, java.util.List.of(text));
        return r.trained() == 0 && r.unreadable().isEmpty() ? Main.EXIT_OK : Main.EXIT_FAILED;
    }
}
