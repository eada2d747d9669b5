package org.nashpo.bench.optim;

import java.util.SplittableRandom;

/** The paper's mutation: one free variable, chosen uniformly, to a different value, chosen uniformly. */
final class Mutation {

    private Mutation() {
    }

    static int mutate(int configIndex, Domain domain, SplittableRandom rng) {
        int j = rng.nextInt(domain.variables());
        int size = domain.size(j);
        if (size < 2) {
            return configIndex;
        }
        int current = domain.get(configIndex, j);
        int value = rng.nextInt(size - 1);
        return domain.with(configIndex, j, value >= current ? value + 1 : value);
    }
}
