package org.nashpo.bench.optim;

import java.util.SplittableRandom;

/** The paper's mutation: one of the 8 variables, chosen uniformly, to a different value, chosen uniformly. */
final class Mutation {

    private Mutation() {
    }

    static int mutate(int configIndex, SplittableRandom rng) {
        int v = rng.nextInt(SearchSpaceVars.COUNT);
        int current = SearchSpaceVars.get(configIndex, v);
        int value = rng.nextInt(SearchSpaceVars.SIZES[v] - 1);
        return SearchSpaceVars.with(configIndex, v, value >= current ? value + 1 : value);
    }
}
