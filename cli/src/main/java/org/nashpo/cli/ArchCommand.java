package org.nashpo.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkCost;
import org.nashpo.core.space.NetworkShape;
import org.nashpo.core.space.SearchSpace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "arch", mixinStandardHelpOptions = true,
        description = "Describe one cell: its canonical class, the class's representative and members, "
                + "and the network's parameters and multiply-adds.")
final class ArchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CELLCODE",
            description = "A|BC|DEF, one digit per edge 0→1 | 0→2, 1→2 | 0→3, 1→3, 2→3 (0 conv, 1 avg pool, 2 skip, 3 zero).")
    private String cellcode;

    @Mixin
    private NetworkOptions network;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    /** What {@code nashpo arch --json} prints. */
    record Description(String cellcode, int index, String classId, String canonicalForm, int classSize,
            String representative, List<String> members, NetworkShape network, long parameters, long multiplyAdds) {
    }

    @Override
    public Integer call() {
        CellCode cell = CellCode.parse(cellcode);
        NetworkShape shape = network.shape();
        CellClass cls = SearchSpace.get().classOf(cell);
        NetworkCost cost = NetworkCost.of(cell, shape);
        Description d = new Description(cell.toString(), cell.index(), cls.id(), cls.canonical().form(), cls.size(),
                cls.representative().toString(), cls.members().stream().map(CellCode::toString).toList(),
                shape, cost.parameters(), cost.multiplyAdds());
        var out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, d);
            return Main.EXIT_OK;
        }
        out.printf("cellcode         %s  (index %d)%n", d.cellcode(), d.index());
        out.printf("class id         %s%n", d.classId());
        out.printf("canonical form   %s%n", d.canonicalForm());
        out.printf("class size       %d%n", d.classSize());
        out.printf("representative   %s%n", d.representative());
        out.printf("members          %s%n", String.join(" ", d.members()));
        out.printf("network          width %d, %d cells per stage, %d stages%n", shape.width(), shape.cellsPerStage(),
                shape.stages());
        out.printf("parameters       %,d%n", d.parameters());
        out.printf("multiply-adds    %,d per 32×32 image%n", d.multiplyAdds());
        return Main.EXIT_OK;
    }
}
