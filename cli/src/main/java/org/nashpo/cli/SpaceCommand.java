package org.nashpo.cli;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.core.spec.BenchmarkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "space", mixinStandardHelpOptions = true,
        description = "Summarise a search space: cellcodes, canonical classes, learning rates, batch sizes, "
                + "configurations and runs; NAS-HPO-Bench-II's without --spec.")
final class SpaceCommand implements Callable<Integer> {

    @Option(names = "--spec", paramLabel = "SPEC",
            description = "Summarise this spec's space, grid and runs instead of NAS-HPO-Bench-II's.")
    private String specFile;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    /**
     * What {@code nashpo space --json} prints. {@code nb201UniqueClasses}: the classes under NAS-Bench-201's own
     * uniqueness rule ({@code get_unique_str}); {@code runsByEpochs}: the runs of each schedule length.
     */
    record Summary(int cellcodes, int classes, List<String> operations, List<Double> learningRates,
            List<Integer> batchSizes, List<Integer> seeds, int configurations, int classConfigurations,
            int longScheduleCells, int runs12Epochs, int runs200Epochs, String family, int nb201UniqueClasses,
            Map<Integer, Integer> runsByEpochs) {
    }

    /** NAS-HPO-Bench-II's space and the runs of its benchmark. */
    static Summary summary() {
        SearchSpace space = SearchSpace.NAS_HPO_BENCH_2;
        int classes = space.classes().size();
        int seeds = HpGrid.SEEDS.size();
        int longCells = space.longScheduleCells().size();
        int runs12 = classes * HpGrid.HP_COUNT * seeds;
        int runs200 = longCells * HpGrid.HP_COUNT * seeds;
        return new Summary(space.size(), classes, legend(space), HpGrid.LEARNING_RATES, HpGrid.BATCH_SIZES,
                HpGrid.SEEDS, ConfigIndex.size(space), classes * HpGrid.HP_COUNT, longCells, runs12, runs200,
                NetworkFamily.NAS_HPO_BENCH_2.specName(), space.nb201UniqueCount(), Map.of(12, runs12, 200, runs200));
    }

    /** A spec's space, grid and runs. */
    static Summary summary(BenchmarkSpec spec) {
        SearchSpace space = spec.space();
        int classes = space.classes().size();
        Map<Integer, Integer> runs = new TreeMap<>();
        for (RunKey key : spec.expand(spec.protocolOnFullData(Map.of()))) {
            runs.merge(key.epochs(), 1, Integer::sum);
        }
        int pairs = spec.grid().lrs().size() * spec.grid().batchSizes().size();
        return new Summary(space.size(), classes, legend(space), spec.grid().lrs(), spec.grid().batchSizes(),
                spec.grid().seeds(), space.size() * pairs, classes * pairs,
                space.hasLongScheduleCells() ? space.longScheduleCells().size() : 0, runs.getOrDefault(12, 0),
                runs.getOrDefault(200, 0), spec.network().family().specName(), space.nb201UniqueCount(), runs);
    }

    private static List<String> legend(SearchSpace space) {
        return IntStream.range(0, space.operationCount())
                .mapToObj(i -> i + "=" + space.nameOf(space.operations().get(i))).toList();
    }

    @Override
    public Integer call() {
        Summary s = specFile == null ? summary() : summary(SpecPlanning.read(specFile));
        var out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, s);
            return Main.EXIT_OK;
        }
        int pairs = s.learningRates().size() * s.batchSizes().size();
        if (specFile != null) {
            out.printf("network family     %s%n", s.family());
        }
        out.printf("cellcodes          %,d  (6 edges × %d operations: %s)%n", s.cellcodes(), s.operations().size(),
                String.join(", ", s.operations()));
        out.printf("canonical classes  %,d  (the benchmark trains one representative each)%n", s.classes());
        if (specFile != null) {
            out.printf("                   %,d  under NAS-Bench-201's own uniqueness rule (its get_unique_str; "
                    + "docs/PROTOCOL.md §1)%n", s.nb201UniqueClasses());
        }
        out.printf("learning rates     %s  (%d)%n", join(s.learningRates()), s.learningRates().size());
        out.printf("batch sizes        %s  (%d)%n", join(s.batchSizes()), s.batchSizes().size());
        out.printf("seeds              %s%n", join(s.seeds()));
        out.printf("configurations     %,d  (cellcodes × %d hyperparameter pairs; %,d distinct classes × pairs)%n",
                s.configurations(), pairs, s.classConfigurations());
        if (specFile == null) {
            out.printf("runs, 12 epochs    %,d  (classes × pairs × seeds)%n", s.runs12Epochs());
            out.printf("runs, 200 epochs   %,d  (%d cells × pairs × seeds)%n", s.runs200Epochs(), s.longScheduleCells());
        } else {
            s.runsByEpochs().forEach((epochs, n) -> out.printf("runs, %d epochs%s%,d%n", epochs,
                    " ".repeat(Math.max(1, 6 - String.valueOf(epochs).length())), n));
        }
        return Main.EXIT_OK;
    }

    private static String join(List<?> values) {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }
}
