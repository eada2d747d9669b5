package org.nashpo.core.grid;

import org.nashpo.core.space.CellCode;

/**
 * The original API's numbering of the 196,608 configurations: cellcodes sorted as strings, then
 * learning rates ascending, then batch sizes ascending; {@code index = cell·48 + lr·6 + batch}.
 */
public final class ConfigIndex {

    /** 4,096 cellcodes × 48 hyperparameter pairs. */
    public static final int SIZE = CellCode.COUNT * HpGrid.HP_COUNT;

    private ConfigIndex() {
    }

    /** The index of a configuration on the grid; an error naming the value if it is off the grid. */
    public static int indexOf(Configuration config) {
        return config.cell().index() * HpGrid.HP_COUNT
                + HpGrid.lrIndex(config.learningRate()) * HpGrid.BATCH_SIZES.size()
                + HpGrid.batchIndex(config.batchSize());
    }

    /** The configuration with this index, 0 ≤ index < {@link #SIZE}. */
    public static Configuration configuration(int index) {
        if (index < 0 || index >= SIZE) {
            throw new IllegalArgumentException(
                    "configuration index " + index + " is out of range; expected 0 ≤ index < " + SIZE);
        }
        int hp = index % HpGrid.HP_COUNT;
        return new Configuration(CellCode.ofIndex(index / HpGrid.HP_COUNT),
                HpGrid.LEARNING_RATES.get(hp / HpGrid.BATCH_SIZES.size()),
                HpGrid.BATCH_SIZES.get(hp % HpGrid.BATCH_SIZES.size()));
    }
}
