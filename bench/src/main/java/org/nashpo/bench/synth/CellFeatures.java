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
        boolean[] fromInput = new boolean[CellCode.NODES];
        boolean[] toOutput = new boolean[CellCode.NODES];
        fromInput[0] = true;
        toOutput[OUTPUT] = true;
        // edges run from lower to higher nodes, so one pass in cellcode order (ascending targets) and one
        // in reverse settle reachability
        for (int e = 0; e < CellCode.EDGES; e++) {
            if (cell.op(e) != Op.ZERO && fromInput[CellCode.from(e)]) {
                fromInput[CellCode.to(e)] = true;
            }
        }
        for (int e = CellCode.EDGES - 1; e >= 0; e--) {
            if (cell.op(e) != Op.ZERO && toOutput[CellCode.to(e)]) {
                toOutput[CellCode.from(e)] = true;
            }
        }
        int convs = 0;
        int pools = 0;
        int[] depth = new int[CellCode.NODES];
        int[] paths = new int[CellCode.NODES];
        paths[0] = 1;
        for (int e = 0; e < CellCode.EDGES; e++) {
            Op op = cell.op(e);
            int from = CellCode.from(e);
            int to = CellCode.to(e);
            if (op == Op.ZERO || !fromInput[from] || !toOutput[to]) {
                continue;
            }
            convs += op == Op.CONV ? 1 : 0;
            pools += op == Op.AVG_POOL ? 1 : 0;
            depth[to] = Math.max(depth[to], depth[from] + (op == Op.CONV ? 1 : 0));
            paths[to] += paths[from];
        }
        return new CellFeatures(fromInput[OUTPUT], convs, pools, depth[OUTPUT], paths[OUTPUT]);
    }
}
