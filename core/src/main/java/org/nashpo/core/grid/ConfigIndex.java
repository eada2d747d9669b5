package org.nashpo.core.grid;

import org.nashpo.core.space.SearchSpace;

/**
 * The numbering of a space's configurations, in the original API's order: cellcodes sorted as strings,
 * then learning rates ascending, then batch sizes ascending; {@code index = cell·48 + lr·6 + batch}. For
 * NAS-HPO-Bench-II's space these are its API's 196,608 indices.
 */
public final class ConfigIndex {

    private ConfigIndex() {
    }

    /** Configurations of a space: its cellcodes × 48 hyperparameter pairs. */
    public static int size(SearchSpace space) {
        return space.size() * HpGrid.HP_COUNT;
    }

    /** The index of a configuration on the grid; an error naming the value if it is off the grid. */
    public static int indexOf(Configuration config) {
        return config.cell().index() * HpGrid.HP_COUNT
                + HpGrid.lrIndex(config.learningRate()) * HpGrid.BATCH_SIZES.size()
                + HpGrid.batchIndex(config.batchSize());
    }

    /** The configuration of {@code space} with this index, 0 ≤ index < {@link #size}. */
    public static Configuration configuration(SearchSpace space, int index) {
        if (index < 0 || index >= size(space)) {
            throw new IllegalArgumentException(
                    "configuration index " + index + " is out of range; expected 0 ≤ index < " + size(space));
        }
        int hp = index % HpGrid.HP_COUNT;
        return new Configuration(space.cell(index / HpGrid.HP_COUNT),
                HpGrid.LEARNING_RATES.get(hp / HpGrid.BATCH_SIZES.size()),
                HpGrid.BATCH_SIZES.get(hp % HpGrid.BATCH_SIZES.size()));
    }
}
