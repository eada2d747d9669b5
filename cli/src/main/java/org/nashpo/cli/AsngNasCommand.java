package org.nashpo.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.ClassRating;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.worker.nas.AsngNas;
import org.nashpo.worker.nas.AsngNasRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "asng-nas", mixinStandardHelpOptions = true,
        description = {"One-shot ASNG-NAS over the cell space (PROTOCOL.md §6, docs/ASNG-NAS.md): train a weight-sharing "
                + "supernet on the train half of the split while ASNG learns θ on the valid half; print the most likely "
                + "cellcode and its class, and with --bench how the benchmark rates that class.",
            "Writes DIR/search-log.csv (per epoch: losses, Δ, δ, the most likely cellcode, θ) and DIR/result.json."})
final class AsngNasCommand implements Callable<Integer> {

    @Option(names = "--epochs", required = true, description = "Search epochs (the cosine schedule's length).")
    private int epochs;

    @Mixin
    private DataOptions dataOptions;

    @Mixin
    private SpaceOptions space;

    @Mixin
    private NetworkOptions network;

    @Option(names = "--seed", defaultValue = "222", description = "Seed of every random stream (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--threads", defaultValue = "0", description = "ND4J threads; 0 = one per core (default).")
    private int threads;

    @Option(names = "--lr", defaultValue = "0.025",
            description = "Initial learning rate of the weights (default: ${DEFAULT-VALUE}, the original search's).")
    private double lr;

    @Option(names = "--batch-size", defaultValue = "64",
            description = "Train and valid batch size (default: ${DEFAULT-VALUE}, the original search's).")
    private int batchSize;

    @Option(names = "--out", required = true, description = "Directory to write (must not exist); a local path or a Hadoop URI.")
    private String out;

    @Option(names = "--bench", description = "A benchmark directory: also print its accuracy of the found class at "
            + "--lr and --batch-size, and the class's rank among all its space's classes (1,011 in NAS-HPO-Bench-II's).")
    private String bench;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Benchmark benchmark = null;
        if (bench != null) {
            try {
                HpGrid.lrIndex(lr);
                HpGrid.batchIndex(batchSize);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--lr/--batch-size with --bench: " + e.getMessage(), e);
            }
            benchmark = Benchmark.open(benchPath(bench));
        }
        SearchSpace cells = space.searchSpace();
        NetworkFamily family = space.family();
        if (benchmark != null && (!benchmark.space().equals(cells) || benchmark.family() != family)) {
            throw new IllegalArgumentException("--bench " + bench + ": its space is " + benchmark.space() + " in the "
                    + benchmark.family() + " network, the search's (--space " + space.space + ") " + cells + " in the "
                    + family + " network; a benchmark rates only cells of its own space and network");
        }
        Benchmark rater = benchmark;
        AsngNasRun.Request request = new AsngNasRun.Request(dataOptions.data,
                new AsngNas.Settings(epochs, batchSize, lr, seed), dataOptions.trainSize, dataOptions.validSize,
                cells, network.shape(family), threads, Uris.of(out, "--out"));
        AsngNasRun.Summary s = AsngNasRun.run(request, rater == null ? null : cell -> rater.rate(cell, lr, batchSize),
                spec.commandLine().getErr());

        List<String> text = new ArrayList<>();
        text.add(String.format(Locale.ROOT, "found %s  class %s (representative %s, %d member%s)", s.cellcode(),
                s.cellClassId(), s.representative(), s.classMembers(), s.classMembers() == 1 ? "" : "s"));
        text.add(String.format(Locale.ROOT, "%s after %d of %d epochs in %.1f s → %s", s.status(), s.epochsDone(),
                epochs, s.seconds(), s.out()));
        if (s.bench() != null) {
            ClassRating b = s.bench();
            text.add(String.format(Locale.ROOT, "benchmark at lr %s, batch %d: 12-epoch test accuracy %.2f %% (mean of "
                    + "%d seeds), rank %d of %,d classes; 200-epoch %.2f %%, rank %d", HpGrid.LEARNING_RATES.get(
                    HpGrid.lrIndex(lr)), batchSize, b.testAccuracy12(), HpGrid.SEEDS.size(), b.rank12(), b.classes(),
                    b.accuracy200(), b.rank200()));
        }
        return output.emit(spec.commandLine().getOut(), s, text);
    }

    private static java.nio.file.Path benchPath(String location) {
        URI uri = Uris.of(location, "--bench");
        if (!"file".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--bench " + location + ": must be a local directory (the benchmark is "
                    + "read into memory from the local filesystem)");
        }
        return java.nio.file.Path.of(uri);
    }
}
