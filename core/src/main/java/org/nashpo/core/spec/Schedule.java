package org.nashpo.core.spec;

import java.util.Objects;
import org.nashpo.core.space.SearchSpace;

/**
 * One schedule length and the cells trained with it (PROTOCOL.md §3: the cosine schedule spans exactly
 * {@code epochs}, so 12 and 200 epochs are different runs, not prefixes of one another).
 *
 * @param epochs the schedule length T, ≥ 1
 * @param cells the cells trained for T epochs
 */
public record Schedule(int epochs, CellSelection cells) {

    public Schedule {
        Rules.require("epochs", Rules.atLeast(1, epochs));
        Objects.requireNonNull(cells, "cells");
    }

    /** The schedule as a spec in {@code space} writes it. */
    public String render(SearchSpace space) {
        return "{epochs: " + epochs + ", cells: " + cells.render(space) + "}";
    }

    @Override
    public String toString() {
        return "{epochs: " + epochs + ", cells: " + cells + "}";
    }
}
