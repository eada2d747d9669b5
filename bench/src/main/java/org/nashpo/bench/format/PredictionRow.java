package org.nashpo.bench.format;

import org.nashpo.core.space.CellCode;

/** One row of the predictions table as a reusable buffer of primitives (see {@link RunRow}). */
public final class PredictionRow {

    private int cell = -1;
    private double learningRate;
    private int batchSize;
    private int epochs;
    private float meanTestAccuracy;

    /** Index of the cellcode (see {@link CellCode#index()}). */
    public int cell() {
        return cell;
    }

    public PredictionRow cell(int cellIndex) {
        this.cell = cellIndex;
        return this;
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
        return (cell < 0 ? "?" : CellCode.ofIndex(cell).toString()) + " lr=" + learningRate + " batch=" + batchSize;
    }
}
