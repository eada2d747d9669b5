package org.nashpo.bench.format;

import java.util.List;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/**
 * Numbers the 1,011 cell classes 0..1,010 in {@link SearchSpace#classes()} order, so that tables
 * indexed by class are plain arrays.
 */
public final class ClassOrdinals {

    private static final int[] OF_CELL = new int[CellCode.COUNT];
    private static final int COUNT;

    static {
        List<CellClass> classes = SearchSpace.get().classes();
        for (int i = 0; i < classes.size(); i++) {
            for (CellCode member : classes.get(i).members()) {
                OF_CELL[member.index()] = i;
            }
        }
        COUNT = classes.size();
    }

    private ClassOrdinals() {
    }

    /** The ordinal of the class of the cellcode with this index. */
    public static int of(int cellIndex) {
        return OF_CELL[cellIndex];
    }

    /** Number of classes. */
    public static int count() {
        return COUNT;
    }
}
