package org.nashpo.worker.nas;

import java.util.List;
import java.util.Locale;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;

/**
 * The per-epoch log of a search as CSV: epoch, learning rate, train and valid loss, Δ, δ, the most
 * likely cellcode, θ flattened ({@code theta_e01_conv} … one column per edge and operation), steps,
 * θ updates and seconds.
 */
public final class SearchLog {

    private SearchLog() {
    }

    public static String header() {
        StringBuilder s = new StringBuilder("epoch,learning_rate,train_loss,valid_loss,Delta,delta,most_likely");
        for (int e = 0; e < CellCode.EDGES; e++) {
            for (Op op : Op.values()) {
                s.append(",theta_e").append(CellCode.from(e)).append(CellCode.to(e)).append('_').append(op.label());
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
    public static String csv(List<AsngNas.EpochLog> epochs) {
        StringBuilder s = new StringBuilder(header()).append('\n');
        for (AsngNas.EpochLog e : epochs) {
            s.append(row(e)).append('\n');
        }
        return s.toString();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
