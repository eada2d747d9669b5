package org.nashpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nashpo.bench.experiment.Optimize;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.core.spec.BenchmarkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The whole pipeline on the embedded defaults, on this machine: construct a small benchmark "
                + "(examples/demo.yaml: Spark local[*], the worker's engine on CPU, the repository's CIFAR-10 subset), aggregate it, "
                + "fit the long-schedule surrogate, export it in every format, run every optimizer on it and write "
                + "the HTML report; then the same experiment on a full-size synthetic benchmark, to show what the "
                + "report looks like on a space as large as the published one.",
                "Everything goes beside the spec's output (DIR = its parent): DIR/runs, DIR/bench, DIR/export/<format>, "
                + "DIR/report, DIR/synth, DIR/report-synthetic. Run again, it reuses what exists: a step whose input "
                + "did not change is skipped."})
final class DemoCommand implements Callable<Integer> {

    /** Export formats, in the order the demo writes them. */
    static final List<String> FORMATS = List.of("parquet", "csv", "avro", "nashpobench2");

    @Option(names = "--spec", description = "The spec to build (default: examples/demo.yaml — the repository's when run through the checkout's bin/nashpo, else the distribution's).")
    private Path specFile;

    @Option(names = "--runs", defaultValue = "20", description = "Optimizer runs per algorithm (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--synthetic-runs", defaultValue = "" + Optimize.DEFAULT_RUNS,
            description = "Optimizer runs per algorithm on the synthetic benchmark (default: ${DEFAULT-VALUE}, the paper's).")
    private int syntheticRuns;

    @Option(names = "--master", description = "Spark master (default: local[*]).")
    private String master;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Path specPath = specFile != null ? specFile : defaultSpec();
        BenchmarkSpec benchmark = SpecPlanning.read(specPath.toString());
        if (!"file".equals(benchmark.output().getScheme())) {
            throw new IllegalArgumentException("--spec " + specPath + ": the demo works on local files; its output is "
                    + benchmark.output());
        }
        Path runsDir = Path.of(benchmark.output());
        Path dir = runsDir.getParent();
        Path bench = dir.resolve("bench");
        Path report = dir.resolve("report");
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        // the original API's pickles hold NAS-HPO-Bench-II's space only; another space is shown by the other formats,
        // and its synthetic benchmark is the spec's space at full size
        boolean nhb2 = benchmark.space().equals(SearchSpace.NAS_HPO_BENCH_2)
                && benchmark.data().dataset() == Dataset.CIFAR10;
        int steps = 6 + FORMATS.size();
        int step = 0;

        List<String> construct = new ArrayList<>(List.of("construct", "--spec", specPath.toString(), "--json"));
        addMaster(construct);
        JsonNode built = json(run(err, ++step, steps, "construct " + benchmark.name(), construct));
        boolean changed = built.get("trained").asInt() > 0 || !Files.exists(bench.resolve("manifest.json"));

        if (changed) {
            List<String> aggregate = new ArrayList<>(List.of("aggregate", "--runs", runsDir.toString(), "--out",
                    bench.toString(), "--overwrite"));
            addMaster(aggregate);
            run(err, ++step, steps, "aggregate", aggregate);
        } else {
            skip(err, ++step, steps, "aggregate", bench);
        }

        Path surrogate = bench.resolve("surrogate");
        if (changed || !Files.isDirectory(surrogate)) {
            // a small benchmark's surrogate: a few dozen training configurations need fewer trees than 200 epochs
            // of 14,400 runs
            List<String> fit = new ArrayList<>(List.of("fit-surrogate", "--bench", bench.toString(), "--overwrite",
                    "--folds", "3", "--gbt-iterations", "40", "--forest-trees", "40"));
            addMaster(fit);
            run(err, ++step, steps, "fit-surrogate", fit);
            changed = true;
        } else {
            skip(err, ++step, steps, "fit-surrogate", surrogate);
        }

        for (String format : FORMATS) {
            Path out = dir.resolve("export").resolve(format);
            if (format.equals("nashpobench2") && !nhb2) {
                err.printf("demo [%d/%d] export %s: skipped (the original API's pickles hold NAS-HPO-Bench-II's space "
                        + "on CIFAR-10; this benchmark's is %s on %s)%n", ++step, steps, format, benchmark.space(),
                        benchmark.data().dataset());
                err.flush();
            } else if (changed || !Files.isDirectory(out)) {
                List<String> export = new ArrayList<>(List.of("export", "--bench", bench.toString(), "--format", format,
                        "--out", out.toString(), "--overwrite"));
                addMaster(export);
                run(err, ++step, steps, "export " + format, export);
            } else {
                skip(err, ++step, steps, "export " + format, out);
            }
        }

        if (changed || !Files.exists(report.resolve("report.html"))) {
            deleteRecursively(report);
            run(err, ++step, steps, "optimize (every algorithm, " + runs + " runs each)", List.of("optimize", "--bench",
                    bench.toString(), "--algorithms", "all", "--runs", Integer.toString(runs), "--out", report.toString()));
        } else {
            skip(err, ++step, steps, "optimize", report);
        }
        Path synth = dir.resolve("synth");
        if (!Files.exists(synth.resolve("manifest.json"))) {
            deleteRecursively(synth);
            List<String> synthBench = new ArrayList<>(List.of("synth-bench", "--out", synth.toString()));
            if (!NetworkFamily.isNasHpoBench2(benchmark.space(), benchmark.network().family())
                    || !benchmark.data().isNasHpoBench2()) {
                synthBench.addAll(List.of("--spec", fullSizeSpec(benchmark, dir).toString()));
            }
            run(err, ++step, steps, "synth-bench (full size, synthetic)", synthBench);
        } else {
            skip(err, ++step, steps, "synth-bench", synth);
        }
        Path synthReport = dir.resolve("report-synthetic");
        if (!Files.exists(synthReport.resolve("report.html"))) {
            deleteRecursively(synthReport);
            run(err, ++step, steps, "optimize on the synthetic benchmark (every algorithm, " + syntheticRuns + " runs each)",
                    List.of("optimize", "--bench", synth.toString(), "--algorithms", "all", "--runs",
                            Integer.toString(syntheticRuns), "--out", synthReport.toString()));
        } else {
            skip(err, ++step, steps, "optimize on the synthetic benchmark", synthReport);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("demo done in %.0f s: the report is %s%n", (System.nanoTime() - start) / 1e9,
                report.resolve("report.html").toUri());
        out.printf("  runs %s%n  benchmark %s%n  exports %s%n", runsDir, bench, dir.resolve("export"));
        out.printf("  the same experiment on a full-size synthetic benchmark: %s%n",
                synthReport.resolve("report.html").toUri());
        return Main.EXIT_OK;
    }

    /**
     * A spec of the demo spec's space and network family at full size (the benchmark's width, every learning rate
     * and batch size, the demo's seeds, 12 epochs on every class and 200 on NAS-HPO-Bench-II's long-schedule cells
     * where the space holds them), for the synthetic benchmark; written beside the demo's outputs.
     */
    private static Path fullSizeSpec(BenchmarkSpec benchmark, Path dir) {
        String space = benchmark.space().operationNames().stream().collect(java.util.stream.Collectors.joining(", ",
                "{network: " + benchmark.network().family().specName() + ", operations: [", "]}"));
        List<String> lines = new ArrayList<>(List.of(
                "# written by nashpo demo: the demo spec's space at full size, for its synthetic benchmark",
                "name: " + benchmark.name() + "-synthetic",
                "space: " + space,
                "data: {dataset: " + benchmark.data().dataset() + ", split: " + benchmark.data().split() + ", uri: "
                        + benchmark.data().uri() + "}",
                "output: " + dir.resolve("synth-runs").toUri(),
                "grid: {seeds: " + benchmark.grid().seeds() + "}",
                "schedules:",
                "  - {epochs: 12, cells: representatives}"));
        if (benchmark.space().hasLongScheduleCells()) {
            lines.add("  - {epochs: 200, cells: long-schedule}");
        } else {
            lines.add("  - {epochs: 200, cells: {random: " + Math.min(100, benchmark.space().classes().size())
                    + ", seed: 1}}");
        }
        Path file = dir.resolve("synth-spec.yaml");
        try {
            Files.createDirectories(dir);
            return Files.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
    }

    private void addMaster(List<String> args) {
        if (master != null) {
            args.addAll(List.of("--master", master));
        }
    }

    /**
     * The examples' demo.yaml: {@code nashpo.examples} (bin/nashpo sets it: the repository's examples/ when
     * run from a checkout, so the demo's outputs are where README's walk-through looks), else the
     * distribution's ({@code nashpo.home}).
     */
    static Path defaultSpec() {
        String examples = System.getProperty("nashpo.examples");
        String home = System.getProperty("nashpo.home");
        Path spec = examples != null ? Path.of(examples, "demo.yaml")
                : Path.of(home == null ? "." : home, "examples", "demo.yaml");
        if (!Files.isRegularFile(spec)) {
            throw new IllegalArgumentException("--spec: not given, and " + spec.toAbsolutePath() + " (the demo spec) "
                    + "does not exist; run bin/nashpo from a build, or give --spec examples/demo.yaml");
        }
        return spec;
    }

    /** Runs one command of the pipeline in this JVM; its stdout is returned, its stderr shown. */
    private String run(PrintWriter err, int step, int steps, String what, List<String> args) {
        err.printf("demo [%d/%d] %s: nashpo %s%n", step, steps, what, String.join(" ", args));
        err.flush();
        long start = System.nanoTime();
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), err, args.toArray(String[]::new));
        if (code != Main.EXIT_OK) {
            throw new StepFailedException("demo step " + step + " (" + what + ") failed with exit code " + code
                    + "; its output:\n" + out, code);
        }
        err.printf("demo [%d/%d] %s: done in %.1f s%n", step, steps, what, (System.nanoTime() - start) / 1e9);
        err.flush();
        return out.toString();
    }

    private static void skip(PrintWriter err, int step, int steps, String what, Path existing) {
        err.printf("demo [%d/%d] %s: up to date (%s)%n", step, steps, what, existing);
        err.flush();
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("construct --json printed something that is not JSON: " + text, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("removing the old " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A step of the pipeline failed; its exit code becomes the demo's. */
    static final class StepFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        StepFailedException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }
}
