package org.nashpo.core.network;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nashpo.core.space.CellCode;

/**
 * Trainable parameters, multiply-adds and FLOPs of a cell's network, counted over its {@link NetworkGraph}.
 *
 * <ul>
 *   <li>{@code parameters} as PyTorch counts them: weights, biases, BatchNorm γ and β (running statistics are
 *       buffers, not parameters);
 *   <li>{@code multiplyAdds}: convolution and dense weights per output element for one image — bias additions,
 *       BatchNorm, pooling and ReLU are not counted (docs/PROTOCOL.md §2's reference values);
 *   <li>{@code flops}: what NAS-Bench-201 publishes as FLOPs (AutoDL-Projects {@code flop_benchmark.py}, which
 *       NAS-HPO-Bench-II's code copies): the multiply-adds of convolutions and dense layers plus one per output
 *       element of each bias; pooling, BatchNorm, ReLU and sums count nothing.
 * </ul>
 *
 * <p>Every edge's layers count, also those fed only by zero values: the reference networks hold and run them.
 * Costs depend on a cell only through how many edges hold each operation, so they are cached per shape and
 * operation counts.
 *
 * @param parameters trainable parameters
 * @param multiplyAdds multiply-adds of one forward pass of one image
 * @param flops NAS-Bench-201's FLOPs of one forward pass of one image
 */
public record NetworkCost(long parameters, long multiplyAdds, long flops) {

    private static final Map<String, NetworkCost> CACHE = new ConcurrentHashMap<>();

    public NetworkCost {
        if (parameters < 0 || multiplyAdds < 0 || flops < 0) {
            throw new IllegalArgumentException("network cost: counts must be ≥ 0, were " + parameters + ", "
                    + multiplyAdds + " and " + flops);
        }
    }

    public static NetworkCost of(CellCode cell, NetworkShape shape) {
        String key = shape + cell.edges().stream().map(op -> String.valueOf(op.code())).sorted()
                .reduce("", String::concat);
        return CACHE.computeIfAbsent(key, k -> count(NetworkGraph.of(cell, shape)));
    }

    /** The cost in NAS-HPO-Bench-II's network (width 16, 5 cells per stage, 3 stages). */
    public static NetworkCost of(CellCode cell) {
        return of(cell, NetworkShape.BENCHMARK);
    }

    /** Counts a graph's layers. */
    public static NetworkCost count(NetworkGraph graph) {
        long params = graph.parameterShapes().values().stream().mapToLong(NetworkCost::length).sum();
        long macs = 0;
        long biases = 0;
        for (NetworkGraph.Layer layer : graph.layers()) {
            if (layer instanceof NetworkGraph.Conv conv) {
                long outputs = (long) conv.output().resolution() * conv.output().resolution();
                macs += outputs * conv.kernel() * conv.kernel() * conv.input().channels() * conv.output().channels();
                if (conv.bias()) {
                    biases += outputs * conv.output().channels();
                }
            } else if (layer instanceof NetworkGraph.Head head) {
                macs += (long) head.input().channels() * head.output().channels();
                biases += head.output().channels();
            }
        }
        return new NetworkCost(params, macs, macs + biases);
    }

    /** Parameters in millions, as NAS-Bench-201 publishes them ({@code count / 1e6}). */
    public double parametersMillions() {
        return parameters / 1e6;
    }

    /** FLOPs in millions, as NAS-Bench-201 publishes them ({@code count / 1e6}). */
    public double flopsMillions() {
        return flops / 1e6;
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
