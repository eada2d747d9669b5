package org.nashpo.bench.optim;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Regularized evolution (REA; Real et al., AAAI 2019) with the paper's settings (PROTOCOL.md §5):
 * a population of 10 filled by random configurations, then each child mutates the best of a
 * tournament of 3 drawn from the population (with replacement, as Real et al.'s algorithm) and
 * replaces the oldest member (aging). A mutation sets 1 of the free variables (8 in a joint space: the
 * six edges to another of the space's K operations, the learning rate, the batch size) to a different
 * value.
 */
public final class RegularizedEvolution implements Optimizer {

    public static final int POPULATION = 10;
    public static final int TOURNAMENT = 3;

    private final SplittableRandom rng;
    private final Domain domain;
    private final int populationSize;
    private final int tournament;
    /** Ring buffer, oldest at {@code oldest} once full. */
    private final int[] members;
    private final double[] accuracies;
    private int size;
    private int oldest;

    public RegularizedEvolution(SplittableRandom rng, Domain domain) {
        this(rng, domain, POPULATION, TOURNAMENT);
    }

    public RegularizedEvolution(SplittableRandom rng, Domain domain, int populationSize, int tournament) {
        this.rng = Objects.requireNonNull(rng, "rng");
        this.domain = Objects.requireNonNull(domain, "domain");
        if (populationSize < 1) {
            throw new IllegalArgumentException("REA population: must be ≥ 1, was " + populationSize);
        }
        if (tournament < 1 || tournament > populationSize) {
            throw new IllegalArgumentException("REA tournament: must be in 1.." + populationSize + ", was "
                    + tournament);
        }
        this.populationSize = populationSize;
        this.tournament = tournament;
        this.members = new int[populationSize];
        this.accuracies = new double[populationSize];
    }

    @Override
    public int ask() {
        if (size < populationSize) {
            return domain.random(rng);
        }
        int parent = rng.nextInt(populationSize);
        for (int i = 1; i < tournament; i++) {
            int contender = rng.nextInt(populationSize);
            if (accuracies[contender] > accuracies[parent]) {
                parent = contender;
            }
        }
        return Mutation.mutate(members[parent], domain, rng);
    }

    @Override
    public void tell(int configIndex, double accuracy) {
        if (size < populationSize) {
            members[size] = configIndex;
            accuracies[size] = accuracy;
            size++;
            return;
        }
        members[oldest] = configIndex;
        accuracies[oldest] = accuracy;
        oldest = (oldest + 1) % populationSize;
    }
}
