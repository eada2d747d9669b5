package org.nashpo.spark.surrogate;

import java.util.ArrayList;
import java.util.List;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkCost;
import org.nashpo.core.space.Op;

/**
 * The surrogate's input: one value per name of {@link #NAMES}, in that order. The encoding of the
 * cell (one indicator per edge and operation, parameters and multiply-adds of the benchmark's network),
 * the logarithms of the hyperparameters, and the configuration's short-schedule seed means.
 */
public final class Features {

    /** Column names, in the order of {@link #of}. */
    public static final List<String> NAMES = names();

    private Features() {
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (int edge = 0; edge < CellCode.EDGES; edge++) {
            for (Op op : Op.values()) {
                names.add("edge" + CellCode.from(edge) + CellCode.to(edge) + "_" + op.label());
            }
        }
        names.addAll(List.of("log_lr", "log_batch_size", "parameters", "multiply_adds",
                "short_test_accuracy", "short_valid_accuracy", "short_train_loss"));
        return List.copyOf(names);
    }

    /** The feature values of a cell trained with {@code shortSchedule.learningRate()} and batch size. */
    public static double[] of(CellCode cell, ScheduleMean shortSchedule) {
        double[] x = new double[NAMES.size()];
        int i = 0;
        for (int edge = 0; edge < CellCode.EDGES; edge++) {
            for (Op op : Op.values()) {
                x[i++] = cell.op(edge) == op ? 1 : 0;
            }
        }
        NetworkCost cost = NetworkCost.of(cell);
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
