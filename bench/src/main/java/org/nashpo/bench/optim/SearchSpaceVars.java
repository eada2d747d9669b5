package org.nashpo.bench.optim;

import org.nashpo.core.grid.HpGrid;
import org.nashpo.core.space.CellCode;

/**
 * A configuration index as the 8 categorical variables optimizers change (PROTOCOL.md §5, §6): the
 * six edges (4 operations each), the learning rate (8) and the batch size (6). The index is
 * {@code cell·48 + lr·6 + batch} with the cell's digits in base 4, so each variable is a digit of a
 * mixed-radix number.
 */
final class SearchSpaceVars {

    /** Variables: 6 edges, lr, batch size. */
    static final int COUNT = CellCode.EDGES + 2;
    /** Values each variable takes. */
    static final int[] SIZES = {4, 4, 4, 4, 4, 4, HpGrid.LEARNING_RATES.size(), HpGrid.BATCH_SIZES.size()};
    /** What one step of each variable adds to the index. */
    private static final int[] WEIGHTS = new int[COUNT];

    static {
        int w = 1;
        for (int v = COUNT - 1; v >= 0; v--) {
            WEIGHTS[v] = w;
            w *= SIZES[v];
        }
    }

    private SearchSpaceVars() {
    }

    /** The value of variable {@code v} in a configuration index. */
    static int get(int configIndex, int v) {
        return configIndex / WEIGHTS[v] % SIZES[v];
    }

    /** The configuration index with variable {@code v} set to {@code value}. */
    static int with(int configIndex, int v, int value) {
        return configIndex + (value - get(configIndex, v)) * WEIGHTS[v];
    }
}
