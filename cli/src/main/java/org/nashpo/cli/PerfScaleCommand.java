package org.nashpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "perf-scale", mixinStandardHelpOptions = true,
        description = {"Measure every step of building a full-size benchmark on a filled construct output: "
                + "construct's decision (perf-construct, which fills --out first if it lacks runs), aggregate, "
                + "fit-surrogate, export --format nashpobench2 and perf-query. Each step runs as its own nashpo "
                + "process, as a user runs it; its wall time, peak resident memory and the time its job reports are "
                + "measured.",
                "E.g. perf-scale --spec examples/nas-hpo-bench-2.yaml --out DIR (159,984 runs)."})
final class PerfScaleCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--spec", required = true, description = "The spec whose runs fill the output (its data is not read).")
    private String specFile;

    @Option(names = "--out", required = true, description = "The construct output: a local path or a Hadoop FS URI.")
    private String out;

    @Option(names = "--bench", description = "Where aggregate writes the benchmark (default: --out with -bench "
            + "appended); replaced if it exists. Its nashpobench2 export goes beside it (-nashpobench2).")
    private String bench;

    @Option(names = "--master", defaultValue = "local[2]", description = "Spark master of every step (default: "
            + "${DEFAULT-VALUE}).")
    private String master;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    /**
     * One step.
     *
     * @param jobSeconds the time the step's own job reports (construct: its decision; perf-query: the open)
     * @param peakRssBytes the process's peak resident memory (0 where /proc is not available)
     */
    record Step(String name, List<String> arguments, double wallSeconds, long peakRssBytes, double jobSeconds) {
    }

    /**
     * @param aggregateOverConstruct aggregate's job time over construct's decision
     * @param queriesPerSecond perf-query's single-thread queries per second
     * @param heapBytes heap the opened benchmark retains
     */
    record Result(String output, String bench, int runs, List<Step> steps, double aggregateOverConstruct,
            double openSeconds, double queriesPerSecond, long heapBytes) {
    }

    @Override
    public Integer call() throws IOException {
        String runsUri = Uris.of(out, "--out").toString();
        String benchUri = Uris.of(bench != null ? bench : stripSlash(runsUri) + "-bench", "--bench").toString();
        String exportUri = stripSlash(benchUri) + "-nashpobench2";
        if (!"file".equals(java.net.URI.create(benchUri).getScheme())) {
            throw new IllegalArgumentException("--bench " + benchUri + ": perf-query opens local benchmarks only; "
                    + "give a local --bench");
        }
        PrintWriter err = spec.commandLine().getErr();
        List<Step> steps = new ArrayList<>();
        JsonNode construct = run("construct", List.of("perf-construct", "--spec", specFile, "--out", runsUri,
                "--master", master), steps, err, "decideSeconds");
        run("aggregate", List.of("aggregate", "--runs", runsUri, "--out", benchUri, "--overwrite", "--master", master),
                steps, err, "seconds");
        run("fit-surrogate", List.of("fit-surrogate", "--bench", benchUri, "--overwrite", "--master", master), steps,
                err, "seconds");
        run("export nashpobench2", List.of("export", "--bench", benchUri, "--format", "nashpobench2", "--out",
                exportUri, "--overwrite", "--master", master), steps, err, "seconds");
        JsonNode query = run("perf-query", List.of("perf-query", "--bench",
                Path.of(java.net.URI.create(benchUri)).toString()), steps, err, "openSeconds");
        Result r = new Result(runsUri, benchUri, construct.path("runs").asInt(), steps,
                steps.get(1).jobSeconds() / steps.get(0).jobSeconds(), query.path("openSeconds").asDouble(),
                query.path("queriesPerSecond").asDouble(), query.path("heapBytes").asLong());
        return output.emit(spec.commandLine().getOut(), r, text(r));
    }

    private static String stripSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    private static List<String> text(Result r) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s: %,d runs; benchmark %s", r.output(), r.runs(), r.bench()));
        lines.add(String.format("%-22s %10s %10s %12s", "step", "job", "wall", "peak RSS"));
        for (Step s : r.steps()) {
            lines.add(String.format("%-22s %9.1fs %9.1fs %10.2f GB", s.name(), s.jobSeconds(), s.wallSeconds(),
                    s.peakRssBytes() / 1e9));
        }
        lines.add(String.format("aggregate / construct's decision: %.2f", r.aggregateOverConstruct()));
        lines.add(String.format("perf-query: open %.3f s, %,.0f queries per second, heap %,.1f MB", r.openSeconds(),
                r.queriesPerSecond(), r.heapBytes() / 1e6));
        return lines;
    }

    /** Runs {@code nashpo ARGS --json} in a JVM like this one and returns its JSON; a failure ends the measurement. */
    static JsonNode run(String name, List<String> args, List<Step> steps, PrintWriter err, String jobField)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(args);
        command.add("--json");
        err.printf("perf-scale: %s …%n", name);
        err.flush();
        Path stdout = Files.createTempFile("nashpo-perf-scale", ".json");
        Path stderr = Files.createTempFile("nashpo-perf-scale", ".log");
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .start();
            long peak = 0;
            while (!p.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                peak = Math.max(peak, peakRss(p.pid()));
            }
            double wall = (System.nanoTime() - start) / 1e9;
            if (p.exitValue() != 0) {
                List<String> log = Files.readAllLines(stderr);
                throw new IllegalStateException("step " + name + " (nashpo " + String.join(" ", args) + ") exited with "
                        + p.exitValue() + "; the end of its output:\n  "
                        + String.join("\n  ", log.subList(Math.max(0, log.size() - 15), log.size())));
            }
            JsonNode json = JSON.readTree(stdout.toFile());
            steps.add(new Step(name, args, wall, peak, json.path(jobField).asDouble()));
            err.printf("perf-scale: %s took %.1f s (peak RSS %.2f GB)%n", name, wall, peak / 1e9);
            err.flush();
            return json;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + name, e);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** The process's peak resident memory so far (Linux's VmHWM), or 0 where it cannot be read. */
    private static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | UncheckedIOException | NumberFormatException gone) {
            // the process ended between two polls, or this is not Linux
        }
        return 0;
    }
}
