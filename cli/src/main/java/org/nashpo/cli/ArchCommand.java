package org.nashpo.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.ArchString;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.core.spec.BenchmarkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "arch", mixinStandardHelpOptions = true,
        description = "Describe one cell: its canonical class, the class's representative and members, "
                + "and the network's parameters and multiply-adds on the data set's images and classes (and, in "
                + "NAS-Bench-201's space, its architecture string and the parameters and FLOPs NAS-Bench-201 publishes).")
final class ArchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CELL",
            description = "A cellcode A|BC|DEF, one digit per edge 0→1 | 0→2, 1→2 | 0→3, 1→3, 2→3 in the space's "
                    + "digits (NAS-HPO-Bench-II's: 0 conv, 1 avg pool, 2 skip, 3 zero), or a NAS-Bench-201 "
                    + "architecture string such as '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|"
                    + "nor_conv_1x1~1|skip_connect~2|'.")
    private String cellcode;

    @Mixin
    private SpaceOptions space;

    @Option(names = "--spec", paramLabel = "SPEC",
            description = "Take the space, network family, shape and data set from this spec (instead of --space, "
                    + "the network options and --dataset).")
    private String specFile;

    @Mixin
    private NetworkOptions network;

    @Mixin
    private DatasetOptions dataset;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    /**
     * What {@code nashpo arch --json} prints; {@code architecture}, {@code flops} and {@code nb201Unique} (how
     * many cells share the cell's string under NAS-Bench-201's own rule) in every space.
     */
    record Description(String cellcode, int index, String classId, String canonicalForm, int classSize,
            String representative, List<String> members, NetworkShape network, long parameters, long multiplyAdds,
            List<String> operations, String architecture, long flops, double parametersMillions, double flopsMillions,
            int nb201Unique) {
    }

    @Override
    public Integer call() {
        SearchSpace cells;
        NetworkShape shape;
        if (specFile != null) {
            BenchmarkSpec read = SpecPlanning.read(specFile);
            cells = read.space();
            shape = read.network();
        } else {
            cells = space.searchSpace();
            shape = network.shape(space.family()).withDataset(dataset.dataset());
        }
        CellCode cell = cells.parse(cellcode);
        CellClass cls = cells.classOf(cell);
        NetworkCost cost = NetworkCost.of(cell, shape);
        String unique = ArchString.uniqueString(cell);
        int sharing = (int) cells.cells().stream().filter(c -> ArchString.uniqueString(c).equals(unique)).count();
        Description d = new Description(cell.toString(), cell.index(), cls.id(), cls.canonical().form(), cls.size(),
                cls.representative().toString(), cls.members().stream().map(CellCode::toString).toList(),
                shape, cost.parameters(), cost.multiplyAdds(), cells.operationNames(), cell.nb201String(),
                cost.flops(), cost.parametersMillions(), cost.flopsMillions(), sharing);
        var out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, d);
            return Main.EXIT_OK;
        }
        // NAS-HPO-Bench-II's space in its own network prints what it always printed
        boolean nhb2 = NetworkFamily.isNasHpoBench2(cells, shape.family());
        out.printf("cellcode         %s  (index %d)%n", d.cellcode(), d.index());
        if (!nhb2) {
            out.printf("architecture     %s%n", d.architecture());
            out.printf("space            %s%n", String.join(", ", digitLegend(cells)));
        }
        out.printf("class id         %s%n", d.classId());
        out.printf("canonical form   %s%n", d.canonicalForm());
        out.printf("class size       %d%n", d.classSize());
        out.printf("representative   %s%n", d.representative());
        out.printf("members          %s%n", String.join(" ", d.members()));
        if (!nhb2) {
            out.printf("NAS-Bench-201    its own rule counts %d cell%s with this architecture's unique string%n",
                    sharing, sharing == 1 ? "" : "s");
        }
        out.printf("network          %s%n", shape.describe());
        out.printf("parameters       %,d%n", d.parameters());
        out.printf("multiply-adds    %,d per %d×%d image%n", d.multiplyAdds(), shape.inputSize(), shape.inputSize());
        if (!nhb2) {
            out.printf("as NAS-Bench-201 publishes them (its get_cost_info): params %s M, FLOPs %s M%n",
                    millions(d.parameters()), millions(d.flops()));
        }
        return Main.EXIT_OK;
    }

    private static List<String> digitLegend(SearchSpace cells) {
        return java.util.stream.IntStream.range(0, cells.operationCount())
                .mapToObj(i -> i + " " + cells.operations().get(i).specName()).toList();
    }

    /** A count in millions with NAS-Bench-201's digits: the exact count / 1e6, no rounding. */
    private static String millions(long count) {
        return new java.math.BigDecimal(count).movePointLeft(6).stripTrailingZeros().toPlainString();
    }
}
