package org.nashpo.bench.optim;

import java.util.Objects;
import java.util.SplittableRandom;
import org.nashpo.core.grid.ConfigIndex;

/** Random search: every configuration uniformly (cellcode × lr × batch size), with repetition, as the original. */
public final class RandomSearch implements Optimizer {

    private final SplittableRandom rng;

    public RandomSearch(SplittableRandom rng) {
        this.rng = Objects.requireNonNull(rng, "rng");
    }

    @Override
    public int ask() {
        return rng.nextInt(ConfigIndex.SIZE);
    }

    @Override
    public void tell(int configIndex, double accuracy) {
        // nothing to learn
    }
}
