package org.nashpo.spark.surrogate;

import java.util.Comparator;
import java.util.Objects;

/**
 * The seed means of one configuration's final-epoch results on one schedule, as read from a
 * benchmark's runs table (one row per class × learning rate × batch size × seed).
 *
 * @param cellClassId the class's id
 * @param cellcode the cellcode the class's rows trained (the smallest, if rows differ)
 * @param learningRate learning rate
 * @param batchSize batch size
 * @param seeds number of seeds averaged
 * @param testAccuracy mean final test accuracy, percent
 * @param validAccuracy mean final valid accuracy, percent
 * @param trainLoss mean final train loss
 */
public record ScheduleMean(String cellClassId, String cellcode, double learningRate, int batchSize, int seeds,
        double testAccuracy, double validAccuracy, double trainLoss) {

    public ScheduleMean {
        Objects.requireNonNull(cellClassId, "cellClassId");
        Objects.requireNonNull(cellcode, "cellcode");
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds: must be ≥ 1, was " + seeds);
        }
        requireAccuracy("testAccuracy", testAccuracy);
        requireAccuracy("validAccuracy", validAccuracy);
        if (!Double.isFinite(trainLoss)) {
            throw new IllegalArgumentException("trainLoss: must be finite, was " + trainLoss);
        }
    }

    /** The configuration this mean belongs to, as a map key. */
    public Key key() {
        return new Key(cellClassId, learningRate, batchSize);
    }

    private static void requireAccuracy(String field, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(field + ": must be a percentage in 0..100, was " + value);
        }
    }

    /** A class × learning rate × batch size: what the surrogate predicts for, shared by equivalent cellcodes. */
    public record Key(String cellClassId, double learningRate, int batchSize) {
        /** By class id, then learning rate, then batch size. */
        public static final Comparator<Key> ORDER = Comparator.comparing(Key::cellClassId)
                .thenComparingDouble(Key::learningRate).thenComparingInt(Key::batchSize);

        public Key {
            Objects.requireNonNull(cellClassId, "cellClassId");
        }

        @Override
        public String toString() {
            return "class " + cellClassId + " lr=" + learningRate + " batch=" + batchSize;
        }
    }
}
