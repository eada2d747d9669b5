package org.nashpo.worker.nas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/**
 * The per-epoch log of a search as CSV: epoch, learning rate, train and valid loss, Δ, δ, the most
 * likely cellcode (in the space's digits), θ flattened ({@code theta_e01_conv} … one column per edge and
 * operation of the space, named by the operation's spec name, in digit order), steps, θ updates and seconds.
 */
public final class SearchLog {

    private SearchLog() {
    }

    public static String header(SearchSpace space) {
        StringBuilder s = new StringBuilder("epoch,learning_rate,train_loss,valid_loss,Delta,delta,most_likely");
        for (int e = 0; e < CellCode.EDGES; e++) {
            for (var op : space.operations()) {
                s.append(",theta_").append(edge(e)).append('_').append(space.nameOf(op));
            }
        }
        return s.append(",steps,theta_updates,seconds").toString();
    }

    public static String row(AsngNas.EpochLog log) {
        StringBuilder s = new StringBuilder();
        s.append(log.epoch()).append(',').append(number(log.learningRate())).append(',')
                .append(number(log.trainLoss())).append(',').append(number(log.validLoss())).append(',')
                .append(number(log.bigDelta())).append(',').append(number(log.delta())).append(',')
                .append(log.mostLikely());
        for (double p : log.theta()) {
            s.append(',').append(number(p));
        }
        return s.append(',').append(log.steps()).append(',').append(log.thetaUpdates()).append(',')
                .append(String.format(Locale.ROOT, "%.3f", log.seconds())).toString();
    }

    /** The whole log, header first, one line per epoch, each ending in a newline. */
    public static String csv(SearchSpace space, List<AsngNas.EpochLog> epochs) {
        StringBuilder s = new StringBuilder(header(space)).append('\n');
        for (AsngNas.EpochLog e : epochs) {
            s.append(row(e)).append('\n');
        }
        return s.toString();
    }

    /**
     * θ by edge ({@code e01}, {@code e02}, … in cellcode order) and operation (as the space names it), from its flat form
     * (edge by edge, the space's operations in digit order).
     */
    public static Map<String, Map<String, Double>> theta(SearchSpace space, List<Double> flat) {
        int k = space.operationCount();
        if (flat.size() != CellCode.EDGES * k) {
            throw new IllegalArgumentException("theta: expected " + CellCode.EDGES * k + " probabilities ("
                    + CellCode.EDGES + " edges × " + k + " operations of " + space + "), got " + flat.size());
        }
        Map<String, Map<String, Double>> byEdge = new LinkedHashMap<>();
        for (int e = 0; e < CellCode.EDGES; e++) {
            Map<String, Double> byOp = new LinkedHashMap<>();
            for (int d = 0; d < k; d++) {
                byOp.put(space.nameOf(space.operations().get(d)), flat.get(e * k + d));
            }
            byEdge.put(edge(e), byOp);
        }
        return byEdge;
    }

    /** An edge's name: {@code e} and its source and target nodes. */
    static String edge(int e) {
        return "e" + CellCode.from(e) + CellCode.to(e);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
