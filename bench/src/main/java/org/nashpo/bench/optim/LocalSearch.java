package org.nashpo.bench.optim;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * First-improvement hill climbing with random restarts (the local search of White et al., UAI 2021,
 * over the free variables of its domain, all 8 in a joint space): from a random configuration,
 * evaluate its neighbours — every configuration differing in one variable, 6·(K−1) + 7 + 5 in the
 * joint space of K operations (30 in NAS-HPO-Bench-II's) — in random order and move to the first
 * that is better; when none is, restart from a random configuration. Configurations already
 * evaluated are not asked again: their accuracy is remembered.
 */
public final class LocalSearch implements Optimizer {

    private final SplittableRandom rng;
    private final Domain domain;
    /** Neighbours of a configuration: every other value of each free variable. */
    private final int neighbourCount;
    /** Accuracy told for each configuration of the domain, by {@link Domain#ordinal}; NaN if never evaluated. */
    private final float[] known;
    private int current = -1;
    private double currentAccuracy;
    private final int[] neighbours;
    private int next;
    private int evaluated;

    public LocalSearch(SplittableRandom rng, Domain domain) {
        this.rng = Objects.requireNonNull(rng, "rng");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.known = new float[domain.count()];
        Arrays.fill(known, Float.NaN);
        int n = 0;
        for (int j = 0; j < domain.variables(); j++) {
            n += domain.size(j) - 1;
        }
        this.neighbourCount = n;
        this.neighbours = new int[n];
    }

    @Override
    public int ask() {
        while (current >= 0 && next < neighbourCount) {
            int candidate = neighbours[next++];
            float seen = known[domain.ordinal(candidate)];
            if (Float.isNaN(seen)) {
                return candidate;
            }
            if (seen > currentAccuracy) {
                moveTo(candidate, seen);
            }
        }
        // a local optimum (or the start): restart at an unevaluated random configuration; once the
        // whole domain is evaluated, any (the budget, not the search, ends the run)
        int start;
        do {
            start = domain.random(rng);
        } while (!Float.isNaN(known[domain.ordinal(start)]) && evaluated < domain.count());
        current = -1;
        return start;
    }

    @Override
    public void tell(int configIndex, double accuracy) {
        int ordinal = domain.ordinal(configIndex);
        if (Float.isNaN(known[ordinal])) {
            evaluated++;
        }
        known[ordinal] = (float) accuracy;
        if (current < 0 || accuracy > currentAccuracy) {
            moveTo(configIndex, accuracy);
        }
    }

    private void moveTo(int configIndex, double accuracy) {
        current = configIndex;
        currentAccuracy = accuracy;
        int n = 0;
        for (int j = 0; j < domain.variables(); j++) {
            int value = domain.get(configIndex, j);
            for (int other = 0; other < domain.size(j); other++) {
                if (other != value) {
                    neighbours[n++] = domain.with(configIndex, j, other);
                }
            }
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = neighbours[i];
            neighbours[i] = neighbours[j];
            neighbours[j] = t;
        }
        next = 0;
    }
}
