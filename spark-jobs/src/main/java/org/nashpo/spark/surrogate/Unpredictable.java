package org.nashpo.spark.surrogate;

/** Why a configuration of the grid gets no prediction: the surrogate needs its short-schedule results. */
public enum Unpredictable {
    /** No cell of the configuration's class was trained on the short schedule at all. */
    CLASS_WITHOUT_SHORT_RUNS("the cell's class has no short-schedule runs"),
    /** The class was trained on the short schedule, but not with this learning rate and batch size. */
    NO_SHORT_RUNS_AT_THESE_HYPERPARAMETERS("the cell's class has no short-schedule runs with this learning rate and batch size");

    private final String reason;

    Unpredictable(String reason) {
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
