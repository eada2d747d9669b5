package org.nashpo.bench.optim;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nashpo.core.grid.ConfigIndex;

/**
 * The configurations an optimizer may propose: some of the 8 variables ({@link SearchSpaceVars}) are
 * free, the others fixed, and each free variable takes the values of its <em>space</em>. The joint
 * space frees all 8 with all their values; a benchmark built on a product sub-space (say edges in
 * {conv, zero}, two learning rates, two batch sizes) is a space of its own ({@link #of}).
 * {@link Restriction#NAS_ONLY} frees the six edges of a space, {@link Restriction#HPO_ONLY} its
 * learning rate and batch size. Optimizers see only the free variables, numbered
 * 0..{@link #variables()}−1, each with values 0..{@link #size}−1, and work on configuration indices.
 */
public final class Domain {

    private static final Domain JOINT = new Domain(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, allValues(), 0);

    /** Free variables by their {@link SearchSpaceVars} number. */
    private final int[] free;
    /** Per variable (all 8), the values of the space, ascending. */
    private final int[][] values;
    /** Per variable, value → its position in {@link #values}, or −1. */
    private final int[][] positions;
    /** A configuration index holding the fixed variables' values (free ones at their first value). */
    private final int base;
    private final int size;

    private Domain(int[] free, int[][] values, int base) {
        this.free = free;
        this.values = values;
        this.positions = new int[SearchSpaceVars.COUNT][];
        for (int v = 0; v < SearchSpaceVars.COUNT; v++) {
            positions[v] = new int[SearchSpaceVars.SIZES[v]];
            Arrays.fill(positions[v], -1);
            for (int k = 0; k < values[v].length; k++) {
                positions[v][values[v][k]] = k;
            }
        }
        int b = base;
        int n = 1;
        for (int v : free) {
            b = SearchSpaceVars.with(b, v, values[v][0]);
            n *= values[v].length;
        }
        this.base = b;
        this.size = n;
    }

    private static int[][] allValues() {
        int[][] all = new int[SearchSpaceVars.COUNT][];
        for (int v = 0; v < all.length; v++) {
            all[v] = new int[SearchSpaceVars.SIZES[v]];
            for (int k = 0; k < all[v].length; k++) {
                all[v][k] = k;
            }
        }
        return all;
    }

    /** All 196,608 configurations. */
    public static Domain joint() {
        return JOINT;
    }

    /**
     * The product sub-space where variable {@code v} takes the values {@code values[v]} (edges:
     * operation digits 0–3; learning rate and batch size: their positions in the grid).
     */
    public static Domain of(int[][] values) {
        if (values.length != SearchSpaceVars.COUNT) {
            throw new IllegalArgumentException("a space gives values for " + SearchSpaceVars.COUNT
                    + " variables (6 edges, lr, batch size), not " + values.length);
        }
        int[][] sorted = new int[values.length][];
        boolean full = true;
        for (int v = 0; v < values.length; v++) {
            sorted[v] = Arrays.stream(values[v]).distinct().sorted().toArray();
            if (sorted[v].length == 0 || sorted[v].length != values[v].length || sorted[v][0] < 0
                    || sorted[v][sorted[v].length - 1] >= SearchSpaceVars.SIZES[v]) {
                throw new IllegalArgumentException("space variable " + v + ": values must be distinct, in 0.."
                        + (SearchSpaceVars.SIZES[v] - 1) + " and not empty, were " + Arrays.toString(values[v]));
            }
            full &= sorted[v].length == SearchSpaceVars.SIZES[v];
        }
        return full ? JOINT : new Domain(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, sorted, 0);
    }

    /** The configurations that share {@code fixedFrom}'s values of the variables {@code restriction} fixes. */
    public static Domain restricted(Restriction restriction, int fixedFrom) {
        return JOINT.restrict(restriction, fixedFrom);
    }

    /**
     * This space with the variables {@code restriction} fixes set to {@code fixedFrom}'s values;
     * the free ones keep this space's values.
     */
    public Domain restrict(Restriction restriction, int fixedFrom) {
        ConfigIndex.configuration(fixedFrom);
        if (!isSpace()) {
            throw new IllegalStateException("only a space (all 8 variables free) can be restricted, not " + this);
        }
        if (!contains(fixedFrom)) {
            throw new IllegalArgumentException("configuration " + ConfigIndex.configuration(fixedFrom)
                    + " is not in the space it would fix variables of: " + this);
        }
        return switch (restriction) {
            case JOINT -> this;
            case NAS_ONLY -> new Domain(new int[] {0, 1, 2, 3, 4, 5}, values, fixedFrom);
            case HPO_ONLY -> new Domain(new int[] {6, 7}, values, fixedFrom);
        };
    }

    /** Whether all 8 variables are free: the joint space or a product sub-space of it. */
    public boolean isSpace() {
        return free.length == SearchSpaceVars.COUNT;
    }

    /** Free variables. */
    public int variables() {
        return free.length;
    }

    /** Values free variable {@code j} takes. */
    public int size(int j) {
        return values[free[j]].length;
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

    /** Free variable {@code j}'s value (0..{@link #size}−1) in a configuration index of the domain. */
    public int get(int configIndex, int j) {
        return positions[free[j]][SearchSpaceVars.get(configIndex, free[j])];
    }

    /** The configuration with free variable {@code j} set to {@code value} (0..{@link #size}−1). */
    public int with(int configIndex, int j, int value) {
        return SearchSpaceVars.with(configIndex, free[j], values[free[j]][value]);
    }

    /** The configuration with the free variables set to {@code values} (one per free variable). */
    public int index(int[] values) {
        int index = base;
        for (int j = 0; j < free.length; j++) {
            index = with(index, j, values[j]);
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
        if (this == JOINT) {
            return rng.nextInt(ConfigIndex.SIZE);
        }
        int index = base;
        for (int j = 0; j < free.length; j++) {
            index = with(index, j, rng.nextInt(size(j)));
        }
        return index;
    }

    /** Whether a configuration is in the domain: fixed variables at the domain's values, free ones in its space. */
    public boolean contains(int configIndex) {
        int b = configIndex;
        for (int v : free) {
            if (positions[v][SearchSpaceVars.get(configIndex, v)] < 0) {
                return false;
            }
            b = SearchSpaceVars.with(b, v, values[v][0]);
        }
        return b == base;
    }

    /** Every configuration of the domain, ascending. */
    public int[] configurations() {
        int[] all = new int[size];
        int[] digits = new int[free.length];
        for (int n = 0; n < size; n++) {
            all[n] = index(digits);
            for (int j = free.length - 1; j >= 0 && ++digits[j] == size(j); j--) {
                digits[j] = 0;
            }
        }
        Arrays.sort(all);
        return all;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Domain(free ").append(Arrays.toString(free));
        if (this != JOINT) {
            text.append(", values ").append(Arrays.deepToString(values));
        }
        return text.append(", fixed at ").append(ConfigIndex.configuration(base)).append(')').toString();
    }
}
