package org.nashpo.spark.surrogate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Cross-validation folds over architecture classes: every class in exactly one fold, so a class is
 * never in both the training and the held-out part. Classes are shuffled with the given seed and dealt
 * round-robin, so fold sizes differ by at most one class.
 */
public final class ClassFolds {

    private ClassFolds() {
    }

    /** Fold (0 ≤ fold < {@code folds}) of each class. */
    public static Map<String, Integer> assign(Collection<String> classIds, int folds, long seed) {
        if (folds < 2) {
            throw new IllegalArgumentException("folds: must be ≥ 2, was " + folds);
        }
        List<String> classes = new ArrayList<>(new TreeSet<>(classIds));
        if (classes.size() < folds) {
            throw new IllegalArgumentException("folds: " + folds + " folds need at least " + folds
                    + " classes with long-schedule runs, the benchmark has " + classes.size());
        }
        Collections.shuffle(classes, new Random(seed));
        Map<String, Integer> fold = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            fold.put(classes.get(i), i % folds);
        }
        return Map.copyOf(fold);
    }
}
