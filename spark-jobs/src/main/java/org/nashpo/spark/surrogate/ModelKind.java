package org.nashpo.spark.surrogate;

import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.RandomForestRegressor;

/** The regressors cross-validation chooses between. */
public enum ModelKind {
    GRADIENT_BOOSTED_TREES("gbt"),
    RANDOM_FOREST("random-forest");

    static final String FEATURES = "features";
    static final String LABEL = "label";
    static final String PREDICTION = "prediction";

    private final String label;

    ModelKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** A fresh, unfitted MLlib estimator of this kind reading {@value #FEATURES}, learning {@value #LABEL}. */
    PipelineStage estimator(SurrogateSettings settings) {
        return switch (this) {
            case GRADIENT_BOOSTED_TREES -> new GBTRegressor().setMaxIter(settings.gbtIterations())
                    .setMaxDepth(settings.gbtDepth()).setStepSize(0.1).setSeed(settings.seed())
                    .setFeaturesCol(FEATURES).setLabelCol(LABEL).setPredictionCol(PREDICTION);
            case RANDOM_FOREST -> new RandomForestRegressor().setNumTrees(settings.forestTrees())
                    .setMaxDepth(settings.forestDepth()).setSeed(settings.seed())
                    .setFeaturesCol(FEATURES).setLabelCol(LABEL).setPredictionCol(PREDICTION);
        };
    }
}
