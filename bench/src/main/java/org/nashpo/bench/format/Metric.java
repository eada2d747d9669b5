package org.nashpo.bench.format;

/** The per-epoch series of a run, in the order of the BenchmarkRun schema's array fields. */
public enum Metric {
    TRAIN_LOSS("trainLoss"),
    TRAIN_ACCURACY("trainAccuracy"),
    VALID_LOSS("validLoss"),
    VALID_ACCURACY("validAccuracy"),
    TEST_LOSS("testLoss"),
    TEST_ACCURACY("testAccuracy"),
    TRAIN_SECONDS("trainSeconds"),
    VALID_SECONDS("validSeconds"),
    TEST_SECONDS("testSeconds");

    /** All, in order; one shared array, as {@code values()} copies on every call. */
    public static final Metric[] VALUES = values();

    private final String field;

    Metric(String field) {
        this.field = field;
    }

    /** The name of the schema field holding the series. */
    public String field() {
        return field;
    }

    public boolean isAccuracy() {
        return this == TRAIN_ACCURACY || this == VALID_ACCURACY || this == TEST_ACCURACY;
    }

    public boolean isTime() {
        return this == TRAIN_SECONDS || this == VALID_SECONDS || this == TEST_SECONDS;
    }
}
