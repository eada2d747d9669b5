package org.nashpo.worker.train;

/**
 * The protocol's per-epoch cosine annealing: {@code lr·(1 + cos(π·e/T))/2} for epoch e = 0..T−1,
 * constant within an epoch.
 */
public final class CosineSchedule {

    private CosineSchedule() {
    }

    /** The learning rate of one epoch. */
    public static double at(double initialValue, int epoch, int epochs) {
        return initialValue * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
    }
}
