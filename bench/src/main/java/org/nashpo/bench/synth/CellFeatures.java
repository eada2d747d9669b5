package org.nashpo.bench.synth;

import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;

/**
 * What the synthetic model reads from a cell of any space: only edges on some input→output path count
 * (others cannot change the output), and an operation counts by what it computes ({@link Op#kind()}),
 * so every operation of every space has its place: a ReLU-conv-BN counts as a conv of weight
 * (k + 1)/4 for a k×k kernel (1 for 3×3, ½ for 1×1), an average pooling as a pool, identity and zero
 * as nothing but their paths.
 *
 * @param connected whether any path leads from input to output
 * @param convs the conv weights on such paths
 * @param pools avg-pool edges on such paths
 * @param convDepth the most conv weight on one input→output path
 * @param paths number of distinct input→output paths
 */
record CellFeatures(boolean connected, double convs, int pools, double convDepth, int paths) {

    private static final int OUTPUT = CellCode.NODES - 1;

    static CellFeatures of(CellCode cell) {
        boolean[] live = cell.liveEdges();
        double convs = 0;
        int pools = 0;
        double[] depth = new double[CellCode.NODES];
        int[] paths = new int[CellCode.NODES];
        paths[0] = 1;
        for (int e = 0; e < CellCode.EDGES; e++) {
            if (!live[e]) {
                continue;
            }
            Op.Kind kind = cell.op(e).kind();
            double conv = kind instanceof Op.Kind.ReluConvBn c ? convWeight(c.kernel()) : 0;
            int from = CellCode.from(e);
            int to = CellCode.to(e);
            convs += conv;
            pools += kind instanceof Op.Kind.AvgPool ? 1 : 0;
            depth[to] = Math.max(depth[to], depth[from] + conv);
            paths[to] += paths[from];
        }
        return new CellFeatures(paths[OUTPUT] > 0, convs, pools, depth[OUTPUT], paths[OUTPUT]);
    }

    /** A conv's weight by its kernel: exactly 1 for 3×3, so NAS-HPO-Bench-II's cells count as they always did. */
    private static double convWeight(int kernel) {
        return (kernel + 1) / 4.0;
    }
}
