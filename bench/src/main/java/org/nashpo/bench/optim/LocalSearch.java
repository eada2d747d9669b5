package org.nashpo.bench.optim;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nashpo.core.grid.ConfigIndex;

/**
 * First-improvement hill climbing with random restarts (the local search of White et al., UAI 2021,
 * over the 8 variables): from a random configuration, evaluate its neighbours — every configuration
 * differing in one variable, 30 in all — in random order and move to the first that is better; when
 * none is, restart from a random configuration. Configurations already evaluated are not asked again:
 * their accuracy is remembered.
 */
public final class LocalSearch implements Optimizer {

    private static final int NEIGHBOURS = neighbourCount();

    private final SplittableRandom rng;
    /** Accuracy told for each configuration; NaN if never evaluated. */
    private final float[] known = new float[ConfigIndex.SIZE];
    private int current = -1;
    private double currentAccuracy;
    private final int[] neighbours = new int[NEIGHBOURS];
    private int next;

    public LocalSearch(SplittableRandom rng) {
        this.rng = Objects.requireNonNull(rng, "rng");
        Arrays.fill(known, Float.NaN);
    }

    private static int neighbourCount() {
        int n = 0;
        for (int size : SearchSpaceVars.SIZES) {
            n += size - 1;
        }
        return n;
    }

    @Override
    public int ask() {
        while (current >= 0 && next < NEIGHBOURS) {
            int candidate = neighbours[next++];
            float seen = known[candidate];
            if (Float.isNaN(seen)) {
                return candidate;
            }
            if (seen > currentAccuracy) {
                moveTo(candidate, seen);
            }
        }
        // a local optimum (or the start): restart at an unevaluated random configuration
        int start;
        do {
            start = rng.nextInt(ConfigIndex.SIZE);
        } while (!Float.isNaN(known[start]));
        current = -1;
        return start;
    }

    @Override
    public void tell(int configIndex, double accuracy) {
        known[configIndex] = (float) accuracy;
        if (current < 0 || accuracy > currentAccuracy) {
            moveTo(configIndex, accuracy);
        }
    }

    private void moveTo(int configIndex, double accuracy) {
        current = configIndex;
        currentAccuracy = accuracy;
        int n = 0;
        for (int v = 0; v < SearchSpaceVars.COUNT; v++) {
            int value = SearchSpaceVars.get(configIndex, v);
            for (int other = 0; other < SearchSpaceVars.SIZES[v]; other++) {
                if (other != value) {
                    neighbours[n++] = SearchSpaceVars.with(configIndex, v, other);
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
