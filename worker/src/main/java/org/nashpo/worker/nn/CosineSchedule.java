package org.nashpo.worker.nn;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The protocol's per-epoch cosine annealing: {@code lr·(1 + cos(π·e/T))/2} for epoch e = 0..T−1,
 * constant within an epoch (DL4J M2.1 has no cosine schedule of its own).
 */
public final class CosineSchedule implements ISchedule {

    private static final long serialVersionUID = 1L;

    @JsonProperty("initialValue")
    private final double initialValue;
    @JsonProperty("epochs")
    private final int epochs;

    public CosineSchedule(@JsonProperty("initialValue") double initialValue, @JsonProperty("epochs") int epochs) {
        if (!(initialValue > 0) || Double.isInfinite(initialValue)) {
            throw new IllegalArgumentException("learning rate: must be a finite number > 0, was " + initialValue);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs: must be ≥ 1, was " + epochs);
        }
        this.initialValue = initialValue;
        this.epochs = epochs;
    }

    /** The learning rate of one epoch. */
    public static double at(double initialValue, int epoch, int epochs) {
        return initialValue * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return at(initialValue, epoch, epochs);
    }

    @Override
    public ISchedule clone() {
        return new CosineSchedule(initialValue, epochs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineSchedule other && other.initialValue == initialValue && other.epochs == epochs;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(initialValue) * 31 + epochs;
    }
}
