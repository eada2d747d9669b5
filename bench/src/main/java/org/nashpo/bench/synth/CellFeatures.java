package org.nashpo.bench.synth;

import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;

/**
 * What the synthetic model reads from a cell: only edges on some input→output path count (others
 * cannot change the output).
 *
 * @param connected whether any path leads from input to output
 * @param convs conv edges on such paths
 * @param pools avg-pool edges on such paths
 * @param convDepth most convs on one input→output path
 * @param paths number of distinct input→output paths
 */
record CellFeatures(boolean connected, int convs, int pools, int convDepth, int paths) {

    private static final int OUTPUT = CellCode.NODES - 1;

    static CellFeatures of(CellCode cell) {
        boolean[] live = cell.liveEdges();
        int convs = 0;
        int pools = 0;
        int[] depth = new int[CellCode.NODES];
        int[] paths = new int[CellCode.NODES];
        paths[0] = 1;
        for (int e = 0; e < CellCode.EDGES; e++) {
            Op op = cell.op(e);
            int from = CellCode.from(e);
            int to = CellCode.to(e);
            if (!live[e]) {
                continue;
            }
            convs += op == Op.CONV ? 1 : 0;
            pools += op == Op.AVG_POOL ? 1 : 0;
            depth[to] = Math.max(depth[to], depth[from] + (op == Op.CONV ? 1 : 0));
            paths[to] += paths[from];
        }
        return new CellFeatures(paths[OUTPUT] > 0, convs, pools, depth[OUTPUT], paths[OUTPUT]);
    }
}
