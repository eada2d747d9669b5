package org.nashpo.bench.query;

import java.util.Objects;

/**
 * One logged query of a {@link Session}.
 *
 * @param configIndex the configuration queried
 * @param mode the split read
 * @param iepoch after how many epochs
 * @param seed the training seed answered
 * @param accuracy percent
 * @param cost simulated seconds charged
 * @param totalCost the session's total cost after this query
 * @param bestConfigIndex the best configuration after this query
 * @param bestAccuracy its accuracy
 */
public record LogEntry(int configIndex, Mode mode, int iepoch, int seed, double accuracy, double cost,
        double totalCost, int bestConfigIndex, double bestAccuracy) {

    public LogEntry {
        Objects.requireNonNull(mode, "mode");
    }
}
