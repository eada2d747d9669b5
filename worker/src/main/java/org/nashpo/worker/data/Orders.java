package org.nashpo.worker.data;

import java.util.SplittableRandom;

/** Orders of a data set's images: the identity, and shuffling one in place with a given stream. */
public final class Orders {

    private Orders() {
    }

    /** 0, 1, …, n − 1. */
    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /**
     * Fisher–Yates in place with the given stream. Each epoch shuffles the previous epoch's order, so
     * a run's orders depend on its seed and the epoch, as the trainers record them.
     */
    public static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
