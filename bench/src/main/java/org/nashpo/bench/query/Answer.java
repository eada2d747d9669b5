package org.nashpo.bench.query;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The benchmark's answer to a {@link Query}.
 *
 * @param query what was asked
 * @param accuracy percent: the split's accuracy after {@code iepoch} epochs (12-epoch), or the
 *     surrogate's predicted mean test accuracy (200-epoch)
 * @param cost simulated seconds (PROTOCOL.md §4); empty for 200-epoch queries, which have none
 * @param seed the training seed whose result this is; empty for 200-epoch answers (means over seeds)
 */
public record Answer(Query query, double accuracy, OptionalDouble cost, OptionalInt seed) {

    public Answer {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(seed, "seed");
        if (!(accuracy >= 0 && accuracy <= 100)) {
            throw new IllegalArgumentException("accuracy: must be a percentage in 0..100, was " + accuracy);
        }
    }
}
