package org.nashpo.bench.format;

import java.util.Objects;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/** One row of the predictions table as a reusable buffer of primitives (see {@link RunRow}). */
public final class PredictionRow {

    private final SearchSpace space;
    private int cell = -1;
    private double learningRate;
    private int batchSize;
    private int epochs;
    private float meanTestAccuracy;

    /** A row of a benchmark whose cells are of {@code space}. */
    public PredictionRow(SearchSpace space) {
        this.space = Objects.requireNonNull(space, "space");
    }

    /** The space the row's cell is of. */
    public SearchSpace space() {
        return space;
    }

    /** Index of the cellcode in the row's space (see {@link CellCode#index()}). */
    public int cell() {
        return cell;
    }

    public PredictionRow cell(int cellIndex) {
        this.cell = cellIndex;
        return this;
    }

    /** Sets the cell: a cell of the row's space. */
    public PredictionRow cell(CellCode cellcode) {
        return cell(RunRow.requireSpace(space, cellcode).index());
    }

    public double learningRate() {
        return learningRate;
    }

    public PredictionRow learningRate(double lr) {
        this.learningRate = lr;
        return this;
    }

    public int batchSize() {
        return batchSize;
    }

    public PredictionRow batchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    public int epochs() {
        return epochs;
    }

    public PredictionRow epochs(int epochs) {
        this.epochs = epochs;
        return this;
    }

    public float meanTestAccuracy() {
        return meanTestAccuracy;
    }

    public PredictionRow meanTestAccuracy(float accuracy) {
        this.meanTestAccuracy = accuracy;
        return this;
    }

    @Override
    public String toString() {
        return (cell < 0 ? "?" : space.cell(cell).toString()) + " lr=" + learningRate + " batch=" + batchSize;
    }
}
