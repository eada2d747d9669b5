package org.nashpo.spark.surrogate;

import java.util.ArrayList;
import java.util.List;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;

/**
 * The surrogate's input for a benchmark's space and network: one value per name of {@link #names()}, in that
 * order. The encoding of the cell (one indicator per edge and operation of the space, parameters and
 * multiply-adds of the benchmark's network at the benchmark's shape), the logarithms of the hyperparameters,
 * and the configuration's short-schedule seed means.
 *
 * @param space the benchmark's operations, whose digits its cellcodes use
 * @param network the benchmark's network family at NAS-HPO-Bench-II's shape (width 16, 5 cells, 3 stages)
 */
public record Features(SearchSpace space, NetworkShape network) implements java.io.Serializable {

    /** Column names, in the order of {@link #of}; an operation named as the space names it (SearchSpace.nameOf). */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (int edge = 0; edge < CellCode.EDGES; edge++) {
            for (Op op : space.operations()) {
                names.add("edge" + CellCode.from(edge) + CellCode.to(edge) + "_" + space.nameOf(op));
            }
        }
        names.addAll(List.of("log_lr", "log_batch_size", "parameters", "multiply_adds",
                "short_test_accuracy", "short_valid_accuracy", "short_train_loss"));
        return List.copyOf(names);
    }

    /** The feature values of a cell (a cellcode of the space) trained with the short schedule's hyperparameters. */
    public double[] of(CellCode cell, ScheduleMean shortSchedule) {
        double[] x = new double[CellCode.EDGES * space.operationCount() + 7];
        int i = 0;
        for (int edge = 0; edge < CellCode.EDGES; edge++) {
            for (Op op : space.operations()) {
                x[i++] = cell.op(edge) == op ? 1 : 0;
            }
        }
        NetworkCost cost = NetworkCost.of(cell, network);
        x[i++] = Math.log(shortSchedule.learningRate());
        x[i++] = Math.log(shortSchedule.batchSize());
        x[i++] = cost.parameters();
        x[i++] = cost.multiplyAdds();
        x[i++] = shortSchedule.testAccuracy();
        x[i++] = shortSchedule.validAccuracy();
        x[i] = shortSchedule.trainLoss();
        return x;
    }
}
