package org.nashpo.cli;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "space", mixinStandardHelpOptions = true,
        description = "Summarise the search space: cellcodes, canonical classes, learning rates, batch sizes, configurations.")
final class SpaceCommand implements Callable<Integer> {

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    /** What {@code nashpo space --json} prints. */
    record Summary(int cellcodes, int classes, List<String> operations, List<Double> learningRates,
            List<Integer> batchSizes, List<Integer> seeds, int configurations, int classConfigurations,
            int longScheduleCells, int runs12Epochs, int runs200Epochs) {
    }

    static Summary summary() {
        SearchSpace space = SearchSpace.get();
        int classes = space.classes().size();
        int seeds = HpGrid.SEEDS.size();
        int longCells = space.longScheduleCells().size();
        return new Summary(CellCode.COUNT, classes,
                Arrays.stream(Op.values()).map(op -> op.digit() + "=" + op.label()).toList(),
                HpGrid.LEARNING_RATES, HpGrid.BATCH_SIZES, HpGrid.SEEDS,
                ConfigIndex.SIZE, classes * HpGrid.HP_COUNT, longCells,
                classes * HpGrid.HP_COUNT * seeds, longCells * HpGrid.HP_COUNT * seeds);
    }

    @Override
    public Integer call() {
        Summary s = summary();
        var out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, s);
            return Main.EXIT_OK;
        }
        out.printf("cellcodes          %,d  (6 edges × 4 operations: %s)%n", s.cellcodes(), String.join(", ", s.operations()));
        out.printf("canonical classes  %,d  (the benchmark trains one representative each)%n", s.classes());
        out.printf("learning rates     %s  (%d)%n", join(s.learningRates()), s.learningRates().size());
        out.printf("batch sizes        %s  (%d)%n", join(s.batchSizes()), s.batchSizes().size());
        out.printf("seeds              %s%n", join(s.seeds()));
        out.printf("configurations     %,d  (cellcodes × %d hyperparameter pairs; %,d distinct classes × pairs)%n",
                s.configurations(), HpGrid.HP_COUNT, s.classConfigurations());
        out.printf("runs, 12 epochs    %,d  (classes × pairs × seeds)%n", s.runs12Epochs());
        out.printf("runs, 200 epochs   %,d  (%d cells × pairs × seeds)%n", s.runs200Epochs(), s.longScheduleCells());
        return Main.EXIT_OK;
    }

    private static String join(List<?> values) {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }
}
