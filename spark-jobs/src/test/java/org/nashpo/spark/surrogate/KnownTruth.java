package org.nashpo.spark.surrogate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.schema.BenchmarkRun;

/**
 * Synthetic runs with a known long-schedule truth. Short-schedule final accuracy depends on the cell's
 * operations and the hyperparameters plus noise; the long-schedule accuracy is either a smooth function
 * of what the surrogate sees (the short result, the number of convolutions, the learning rate) plus
 * small noise, or pure noise unrelated to anything.
 */
final class KnownTruth {

    enum Truth { SMOOTH, NOISE }

    static final List<Double> LRS = List.of(0.0125, 0.05, 0.2);
    static final List<Integer> BATCHES = List.of(32, 128);
    static final int SEED = 222;

    final List<BenchmarkRun> shortRuns = new ArrayList<>();
    final List<BenchmarkRun> longRuns = new ArrayList<>();

    /**
     * @param shortClasses classes trained on the short schedule (all of {@link #LRS} × {@link #BATCHES})
     * @param longClasses how many of those are also trained on the long schedule
     */
    KnownTruth(Truth truth, int shortClasses, int longClasses, int shortEpochs, int longEpochs, long seed) {
        Random random = new Random(seed);
        List<CellClass> classes = new ArrayList<>(SearchSpace.NAS_HPO_BENCH_2.classes());
        Collections.shuffle(classes, random);
        for (int c = 0; c < shortClasses; c++) {
            CellClass cls = classes.get(c);
            CellCode cell = cls.representative();
            for (double lr : LRS) {
                for (int batch : BATCHES) {
                    double x = Math.log(lr / 0.05);
                    double b = Math.log(batch / 64.0);
                    double shortTest = 30 + 5 * cell.count(Op.CONV3X3) + 2 * cell.count(Op.AVGPOOL3X3) - 3 * x * x - 2 * b
                            + 0.5 * random.nextGaussian();
                    shortRuns.add(BenchFixture.run(cell, cls.id(), lr, batch, SEED, shortEpochs, shortTest,
                            shortTest + 1, 1.5 - shortTest / 100));
                    if (c < longClasses) {
                        double longTest = switch (truth) {
                            case SMOOTH -> 25 + 0.8 * shortTest + 2.5 * cell.count(Op.CONV3X3) - 2 * x * x
                                    + 0.3 * random.nextGaussian();
                            case NOISE -> 70 + 3 * random.nextGaussian();
                        };
                        longRuns.add(BenchFixture.run(cell, cls.id(), lr, batch, SEED, longEpochs, longTest,
                                longTest + 1, 1 - longTest / 100));
                    }
                }
            }
        }
    }
}
