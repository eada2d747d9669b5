package org.nashpo.spark.surrogate;

/**
 * How the surrogate is fitted.
 *
 * @param folds cross-validation folds over architecture classes (≥ 2)
 * @param seed seed of the fold assignment and of both ensembles
 * @param gbtIterations boosting iterations of the gradient-boosted trees
 * @param gbtDepth depth of each boosted tree
 * @param forestTrees trees of the random forest
 * @param forestDepth depth of each forest tree
 */
public record SurrogateSettings(int folds, long seed, int gbtIterations, int gbtDepth, int forestTrees,
        int forestDepth) {

    public static final int DEFAULT_FOLDS = 5;
    public static final long DEFAULT_SEED = 0;

    public SurrogateSettings {
        if (folds < 2) {
            throw new IllegalArgumentException("folds: must be ≥ 2, was " + folds);
        }
        requirePositive("gbtIterations", gbtIterations);
        requirePositive("gbtDepth", gbtDepth);
        requirePositive("forestTrees", forestTrees);
        requirePositive("forestDepth", forestDepth);
    }

    /** The defaults (100 boosting iterations of depth 5, 100 forest trees of depth 10) with these folds and seed. */
    public static SurrogateSettings of(int folds, long seed) {
        return new SurrogateSettings(folds, seed, 100, 5, 100, 10);
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + ": must be ≥ 1, was " + value);
        }
    }
}
