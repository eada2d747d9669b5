package org.nashpo.core.space;

/**
 * Trainable parameters and multiply-adds of the network of PROTOCOL.md §2, counted analytically.
 *
 * <p>Parameters are counted as PyTorch counts them: weights, biases, BatchNorm γ and β (running
 * statistics are buffers, not parameters). Multiply-adds count convolution and dense weights per
 * output element for one 32×32 image — bias additions, BatchNorm, pooling and ReLU are not counted,
 * which reproduces the protocol's reference values. Every conv edge counts, also one fed only by zero
 * nodes: the reference network still holds and runs that layer.
 *
 * @param parameters trainable parameters
 * @param multiplyAdds multiply-adds of one forward pass of one image
 */
public record NetworkCost(long parameters, long multiplyAdds) {

    public NetworkCost {
        if (parameters < 0 || multiplyAdds < 0) {
            throw new IllegalArgumentException(
                    "network cost: counts must be ≥ 0, were " + parameters + " and " + multiplyAdds);
        }
    }

    public static NetworkCost of(CellCode cell, NetworkShape shape) {
        int convEdges = cell.count(Op.CONV);
        int last = shape.stages() - 1;
        int c0 = shape.channels(0);
        long hw0 = square(shape.resolution(0));

        // Stem: conv 3x3, 3 -> c0, with bias, then BatchNorm.
        long params = conv3x3(NetworkShape.IMAGE_CHANNELS, c0) + c0 + batchNorm(c0);
        long macs = hw0 * conv3x3(NetworkShape.IMAGE_CHANNELS, c0);

        for (int stage = 0; stage <= last; stage++) {
            int c = shape.channels(stage);
            long hw = square(shape.resolution(stage));
            if (stage > 0) {
                // Residual reduction from the previous stage: two 3x3 convs with bias and BN, plus a
                // 2x2 avg-pool + 1x1 conv (with bias) shortcut; all outputs at this stage's resolution.
                int in = shape.channels(stage - 1);
                params += conv3x3(in, c) + c + batchNorm(c)
                        + conv3x3(c, c) + c + batchNorm(c)
                        + (long) in * c + c;
                macs += hw * (conv3x3(in, c) + conv3x3(c, c) + (long) in * c);
            }
            long perCell = (long) convEdges * (conv3x3(c, c) + batchNorm(c));
            params += shape.cellsPerStage() * perCell;
            macs += (long) shape.cellsPerStage() * convEdges * hw * conv3x3(c, c);
        }

        // Head: BatchNorm, ReLU, global average pool, dense to the classes with bias.
        int cLast = shape.channels(last);
        params += batchNorm(cLast) + (long) cLast * NetworkShape.CLASSES + NetworkShape.CLASSES;
        macs += (long) cLast * NetworkShape.CLASSES;
        return new NetworkCost(params, macs);
    }

    public static NetworkCost of(CellCode cell) {
        return of(cell, NetworkShape.BENCHMARK);
    }

    /** Weights of a 3x3 convolution without bias. */
    private static long conv3x3(int in, int out) {
        return 9L * in * out;
    }

    private static long batchNorm(int channels) {
        return 2L * channels;
    }

    private static long square(int x) {
        return (long) x * x;
    }
}
