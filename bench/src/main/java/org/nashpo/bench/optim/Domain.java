package org.nashpo.bench.optim;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nashpo.core.grid.ConfigIndex;

/**
 * The configurations an optimizer may propose: some of the 8 variables ({@link SearchSpaceVars}) are
 * free, the others fixed. The joint space frees all 8; {@link Restriction#NAS_ONLY} frees the six
 * edges, {@link Restriction#HPO_ONLY} the learning rate and the batch size. Optimizers see only the
 * free variables, numbered 0..{@link #variables()}−1, and work on configuration indices.
 */
public final class Domain {

    private static final Domain JOINT = new Domain(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 0);

    /** Free variables by their {@link SearchSpaceVars} number. */
    private final int[] free;
    /** A configuration index holding the fixed variables' values (free ones at 0). */
    private final int base;
    private final int size;

    private Domain(int[] free, int base) {
        this.free = free;
        int b = base;
        int n = 1;
        for (int v : free) {
            b = SearchSpaceVars.with(b, v, 0);
            n *= SearchSpaceVars.SIZES[v];
        }
        this.base = b;
        this.size = n;
    }

    /** All 196,608 configurations. */
    public static Domain joint() {
        return JOINT;
    }

    /** The configurations that share {@code fixedFrom}'s values of the variables {@code restriction} fixes. */
    public static Domain restricted(Restriction restriction, int fixedFrom) {
        ConfigIndex.configuration(fixedFrom);
        return switch (restriction) {
            case JOINT -> JOINT;
            case NAS_ONLY -> new Domain(new int[] {0, 1, 2, 3, 4, 5}, fixedFrom);
            case HPO_ONLY -> new Domain(new int[] {6, 7}, fixedFrom);
        };
    }

    /** Free variables. */
    public int variables() {
        return free.length;
    }

    /** Values free variable {@code j} takes. */
    public int size(int j) {
        return SearchSpaceVars.SIZES[free[j]];
    }

    /** The number of values of each free variable. */
    public int[] sizes() {
        int[] sizes = new int[free.length];
        for (int j = 0; j < free.length; j++) {
            sizes[j] = size(j);
        }
        return sizes;
    }

    /** Configurations in the domain. */
    public int count() {
        return size;
    }

    /** Free variable {@code j}'s value in a configuration index. */
    public int get(int configIndex, int j) {
        return SearchSpaceVars.get(configIndex, free[j]);
    }

    /** The configuration with free variable {@code j} set to {@code value}. */
    public int with(int configIndex, int j, int value) {
        return SearchSpaceVars.with(configIndex, free[j], value);
    }

    /** The configuration with the free variables set to {@code values} (one per free variable). */
    public int index(int[] values) {
        int index = base;
        for (int j = 0; j < free.length; j++) {
            index = SearchSpaceVars.with(index, free[j], values[j]);
        }
        return index;
    }

    /** The free variables' values of a configuration. */
    public int[] values(int configIndex) {
        int[] values = new int[free.length];
        for (int j = 0; j < free.length; j++) {
            values[j] = get(configIndex, j);
        }
        return values;
    }

    /** A configuration drawn uniformly from the domain. */
    public int random(SplittableRandom rng) {
        if (free.length == SearchSpaceVars.COUNT) {
            return rng.nextInt(ConfigIndex.SIZE);
        }
        int index = base;
        for (int j = 0; j < free.length; j++) {
            index = SearchSpaceVars.with(index, free[j], rng.nextInt(size(j)));
        }
        return index;
    }

    /** Whether a configuration is in the domain (its fixed variables have the domain's values). */
    public boolean contains(int configIndex) {
        int b = configIndex;
        for (int v : free) {
            b = SearchSpaceVars.with(b, v, 0);
        }
        return b == base;
    }

    @Override
    public String toString() {
        return "Domain" + Arrays.toString(free) + " fixed at " + ConfigIndex.configuration(base);
    }
}
