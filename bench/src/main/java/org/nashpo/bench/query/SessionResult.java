package org.nashpo.bench.query;

import java.util.Objects;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.space.SearchSpace;

/**
 * The outcome of an optimizer run: its best configuration and how that one does on the test split.
 *
 * @param space the benchmark's cell space, which numbers the configurations
 * @param configIndex the best configuration (highest accuracy the search read, first one on ties)
 * @param seed the training seed of the query that found it
 * @param searchAccuracy the accuracy that query returned (valid, for the paper's protocol)
 * @param testAccuracy12 its 12-epoch test accuracy after the last epoch, same seed
 * @param testAccuracy200 its predicted 200-epoch mean test accuracy
 * @param queries logged queries
 * @param totalCost simulated seconds spent
 */
public record SessionResult(SearchSpace space, int configIndex, int seed, double searchAccuracy,
        double testAccuracy12, double testAccuracy200, int queries, double totalCost) {

    public SessionResult {
        Objects.requireNonNull(space, "space");
        ConfigIndex.configuration(space, configIndex);
        if (queries < 1) {
            throw new IllegalArgumentException("queries: must be ≥ 1, was " + queries);
        }
    }

    public Configuration configuration() {
        return ConfigIndex.configuration(space, configIndex);
    }
}
