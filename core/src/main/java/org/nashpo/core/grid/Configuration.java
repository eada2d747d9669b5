package org.nashpo.core.grid;

import java.io.Serializable;
import java.util.Objects;
import org.nashpo.core.space.CellCode;

/**
 * One point of the joint space: a cell trained with a learning rate and a batch size. Any positive
 * values are allowed (a construct spec may extend the grid); {@link ConfigIndex} numbers those on
 * the benchmark's grid.
 */
public record Configuration(CellCode cell, double learningRate, int batchSize) implements Serializable {

    public Configuration {
        Objects.requireNonNull(cell, "cell");
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate: must be a finite number > 0, was " + learningRate);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size: must be ≥ 1, was " + batchSize);
        }
    }

    @Override
    public String toString() {
        return cell + " lr=" + learningRate + " batch=" + batchSize;
    }
}
