package org.nashpo.bench.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;

/**
 * The configurations an optimizer may propose, in one cell space: some of the 8 variables
 * ({@link SearchSpaceVars}: six edges of K operations, the learning rate, the batch size) are free,
 * the others fixed, and each free variable takes the values of its <em>space</em>. The joint space of
 * a cell space frees all 8 with all their values ({@link #joint}); a benchmark built on a product
 * sub-space (say edges in {conv3x3, zero}, two learning rates, two batch sizes) is a space of its own
 * ({@link #of}). {@link Restriction#NAS_ONLY} frees the six edges of a space,
 * {@link Restriction#HPO_ONLY} its learning rate and batch size. Optimizers see only the free
 * variables, numbered 0..{@link #variables()}−1, each with values 0..{@link #size}−1, and work on
 * configuration indices of the cell space ({@link ConfigIndex}).
 */
public final class Domain {

    private static final Map<SearchSpace, Domain> JOINT = new ConcurrentHashMap<>();
    private static final int[] ALL_VARIABLES = IntStream.range(0, SearchSpaceVars.COUNT).toArray();
    private static final int[] EDGE_VARIABLES = IntStream.range(0, CellCode.EDGES).toArray();
    private static final int[] HP_VARIABLES = {SearchSpaceVars.LEARNING_RATE, SearchSpaceVars.BATCH_SIZE};

    private final SearchSpaceVars vars;
    private final boolean joint;
    /** Free variables by their {@link SearchSpaceVars} number. */
    private final int[] free;
    /** Per variable (all 8), the values of the space, ascending. */
    private final int[][] values;
    /** Per variable, value → its position in {@link #values}, or −1. */
    private final int[][] positions;
    /** A configuration index holding the fixed variables' values (free ones at their first value). */
    private final int base;
    private final int size;
    /** Per free variable, what one step of its position adds to a configuration's {@link #ordinal}. */
    private final int[] strides;

    private Domain(SearchSpaceVars vars, boolean joint, int[] free, int[][] values, int base) {
        this.vars = vars;
        this.joint = joint;
        this.free = free;
        this.values = values;
        this.positions = new int[SearchSpaceVars.COUNT][];
        for (int v = 0; v < SearchSpaceVars.COUNT; v++) {
            positions[v] = new int[vars.size(v)];
            Arrays.fill(positions[v], -1);
            for (int k = 0; k < values[v].length; k++) {
                positions[v][values[v][k]] = k;
            }
        }
        int b = base;
        for (int v : free) {
            b = vars.with(b, v, values[v][0]);
        }
        this.base = b;
        this.strides = new int[free.length];
        int n = 1;
        for (int j = free.length - 1; j >= 0; j--) {
            strides[j] = n;
            n *= values[free[j]].length;
        }
        this.size = n;
    }

    /** All configurations of a cell space: its K⁶ cellcodes × 8 learning rates × 6 batch sizes. */
    public static Domain joint(SearchSpace space) {
        return JOINT.computeIfAbsent(space, s -> {
            SearchSpaceVars vars = SearchSpaceVars.of(s);
            int[][] all = new int[SearchSpaceVars.COUNT][];
            for (int v = 0; v < all.length; v++) {
                all[v] = IntStream.range(0, vars.size(v)).toArray();
            }
            return new Domain(vars, true, ALL_VARIABLES, all, 0);
        });
    }

    /**
     * The product sub-space of {@code space} where variable {@code v} takes the values {@code values[v]}
     * (edges: operation digits 0..K−1; learning rate and batch size: their positions in the grid).
     */
    public static Domain of(SearchSpace space, int[][] values) {
        SearchSpaceVars vars = SearchSpaceVars.of(space);
        if (values.length != SearchSpaceVars.COUNT) {
            throw new IllegalArgumentException("a space gives values for " + SearchSpaceVars.COUNT
                    + " variables (6 edges, lr, batch size), not " + values.length);
        }
        int[][] sorted = new int[values.length][];
        boolean full = true;
        for (int v = 0; v < values.length; v++) {
            sorted[v] = Arrays.stream(values[v]).distinct().sorted().toArray();
            if (sorted[v].length == 0 || sorted[v].length != values[v].length || sorted[v][0] < 0
                    || sorted[v][sorted[v].length - 1] >= vars.size(v)) {
                throw new IllegalArgumentException("space variable " + v + ": values must be distinct, in 0.."
                        + (vars.size(v) - 1) + " and not empty, were " + Arrays.toString(values[v]));
            }
            full &= sorted[v].length == vars.size(v);
        }
        return full ? joint(space) : new Domain(vars, false, ALL_VARIABLES, sorted, 0);
    }

    /**
     * This space with the variables {@code restriction} fixes set to {@code fixedFrom}'s values;
     * the free ones keep this space's values.
     */
    public Domain restrict(Restriction restriction, int fixedFrom) {
        ConfigIndex.configuration(space(), fixedFrom);
        if (!isSpace()) {
            throw new IllegalStateException("only a space (all 8 variables free) can be restricted, not " + this);
        }
        if (!contains(fixedFrom)) {
            throw new IllegalArgumentException("configuration " + ConfigIndex.configuration(space(), fixedFrom)
                    + " is not in the space it would fix variables of: " + this);
        }
        return switch (restriction) {
            case JOINT -> this;
            case NAS_ONLY -> new Domain(vars, false, EDGE_VARIABLES, values, fixedFrom);
            case HPO_ONLY -> new Domain(vars, false, HP_VARIABLES, values, fixedFrom);
        };
    }

    /** The cell space whose configuration indices the domain holds. */
    public SearchSpace space() {
        return vars.space();
    }

    /** Whether all 8 variables are free: the joint space or a product sub-space of it. */
    public boolean isSpace() {
        return free.length == SearchSpaceVars.COUNT;
    }

    /** The operations edge {@code e} (0..5) takes in this domain's space, in digit order. */
    public List<Op> operations(int edge) {
        Objects.checkIndex(edge, CellCode.EDGES);
        return Arrays.stream(values[edge]).mapToObj(d -> space().operations().get(d)).toList();
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
        return positions[free[j]][vars.get(configIndex, free[j])];
    }

    /** The configuration with free variable {@code j} set to {@code value} (0..{@link #size}−1). */
    public int with(int configIndex, int j, int value) {
        return vars.with(configIndex, free[j], values[free[j]][value]);
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

    /**
     * A configuration's position among the domain's, 0..{@link #count()}−1 (free variables' values as a
     * mixed-radix number; the joint space's is the configuration index itself).
     */
    public int ordinal(int configIndex) {
        int ordinal = 0;
        for (int j = 0; j < free.length; j++) {
            ordinal += get(configIndex, j) * strides[j];
        }
        return ordinal;
    }

    /** A configuration drawn uniformly from the domain. */
    public int random(SplittableRandom rng) {
        if (joint) {
            return rng.nextInt(size);
        }
        int index = base;
        for (int j = 0; j < free.length; j++) {
            index = with(index, j, rng.nextInt(size(j)));
        }
        return index;
    }

    /** Whether a configuration is in the domain: fixed variables at the domain's values, free ones in its space. */
    public boolean contains(int configIndex) {
        if (configIndex < 0 || configIndex >= ConfigIndex.size(space())) {
            return false;
        }
        int b = configIndex;
        for (int v : free) {
            if (positions[v][vars.get(configIndex, v)] < 0) {
                return false;
            }
            b = vars.with(b, v, values[v][0]);
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
        StringBuilder text = new StringBuilder("Domain(space ").append(space()).append(", free ")
                .append(Arrays.toString(free));
        if (!joint) {
            text.append(", values ").append(Arrays.deepToString(values));
        }
        return text.append(", fixed at ").append(ConfigIndex.configuration(space(), base)).append(')').toString();
    }
}
