package org.nashpo.bench.optim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/**
 * A configuration index of one space as the 8 categorical variables optimizers change (PROTOCOL.md §5,
 * §6): the six edges (K operations each, the space's), the learning rate (8) and the batch size (6).
 * The index is {@code cell·48 + lr·6 + batch} with the cell's digits in base K, so each variable is a
 * digit of a mixed-radix number.
 */
final class SearchSpaceVars {

    /** Variables: 6 edges, lr, batch size. */
    static final int COUNT = CellCode.EDGES + 2;
    /** The learning rate's variable; the edges are 0..5. */
    static final int LEARNING_RATE = CellCode.EDGES;
    /** The batch size's variable. */
    static final int BATCH_SIZE = CellCode.EDGES + 1;

    private static final Map<SearchSpace, SearchSpaceVars> BY_SPACE = new ConcurrentHashMap<>();

    private final SearchSpace space;
    /** Values each variable takes. */
    private final int[] sizes = new int[COUNT];
    /** What one step of each variable adds to the index. */
    private final int[] weights = new int[COUNT];

    private SearchSpaceVars(SearchSpace space) {
        this.space = space;
        for (int e = 0; e < CellCode.EDGES; e++) {
            sizes[e] = space.operationCount();
        }
        sizes[LEARNING_RATE] = HpGrid.LEARNING_RATES.size();
        sizes[BATCH_SIZE] = HpGrid.BATCH_SIZES.size();
        int w = 1;
        for (int v = COUNT - 1; v >= 0; v--) {
            weights[v] = w;
            w *= sizes[v];
        }
    }

    static SearchSpaceVars of(SearchSpace space) {
        return BY_SPACE.computeIfAbsent(space, SearchSpaceVars::new);
    }

    SearchSpace space() {
        return space;
    }

    /** Values variable {@code v} takes. */
    int size(int v) {
        return sizes[v];
    }

    /** The value of variable {@code v} in a configuration index. */
    int get(int configIndex, int v) {
        return configIndex / weights[v] % sizes[v];
    }

    /** The configuration index with variable {@code v} set to {@code value}. */
    int with(int configIndex, int v, int value) {
        return configIndex + (value - get(configIndex, v)) * weights[v];
    }
}
