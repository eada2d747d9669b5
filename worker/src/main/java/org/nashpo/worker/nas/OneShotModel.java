package org.nashpo.worker.nas;

import java.util.List;
import org.nashpo.core.space.CellCode;

/** What the search needs of a weight-sharing model: a weight step for sampled cells, and a cell's loss. */
public interface OneShotModel {

    /**
     * One SGD step on the mean of the cells' losses on {@code batch}; returns that mean (before the step).
     *
     * @param learningRate the step's learning rate (the schedule is the caller's)
     */
    double trainStep(List<CellCode> cells, Batch batch, double learningRate);

    /** The mean cross-entropy of one cell on {@code batch}, with batch statistics, without changing weights. */
    double loss(CellCode cell, Batch batch);
}
