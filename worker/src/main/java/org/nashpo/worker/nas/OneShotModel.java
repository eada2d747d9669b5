package org.nashpo.worker.nas;

import java.util.List;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/**
 * What the search needs of a weight-sharing model: its cell space, a weight step for sampled cells, and a
 * cell's loss.
 */
public interface OneShotModel {

    /** The space whose cells the model computes (θ has a category per operation of it on every edge). */
    default SearchSpace space() {
        return SearchSpace.NAS_HPO_BENCH_2;
    }

    /**
     * One SGD step on the mean of the cells' losses on {@code batch}; returns that mean (before the step).
     *
     * @param learningRate the step's learning rate (the schedule is the caller's)
     */
    double trainStep(List<CellCode> cells, Batch batch, double learningRate);

    /** The mean cross-entropy of one cell on {@code batch}, with batch statistics, without changing weights. */
    double loss(CellCode cell, Batch batch);
}
