package org.nashpo.bench.optim;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Random search: every configuration of its domain uniformly (a joint space: cellcode × lr × batch
 * size), with repetition, as the original.
 */
public final class RandomSearch implements Optimizer {

    private final SplittableRandom rng;
    private final Domain domain;

    public RandomSearch(SplittableRandom rng, Domain domain) {
        this.rng = Objects.requireNonNull(rng, "rng");
        this.domain = Objects.requireNonNull(domain, "domain");
    }

    @Override
    public int ask() {
        return domain.random(rng);
    }

    @Override
    public void tell(int configIndex, double accuracy) {
        // nothing to learn
    }
}
