package org.nashpo.worker.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An engine's flat parameter, gradient and momentum arrays, and their named views: the parameters a
 * gradient reaches first, each group in network order, so that the region an SGD step moves is one
 * leading interval. They and BatchNorm's running statistics are reserved from the engines' budget
 * ({@link EngineMemory.Reserved}) and freed on close.
 */
final class Parameters {

    private final EngineMemory.Reserved arrays = new EngineMemory.Reserved(
            "its parameters, their gradients and momentum, and BatchNorm's running statistics");
    private final INDArray values;
    private final INDArray grads;
    private final INDArray momentum;
    /** Length of the leading region a gradient reaches. */
    private final long reachable;
    /** Length of the leading region an SGD step moves: the reachable one, or every parameter. */
    private final long stepped;
    private final Map<String, INDArray> views = new LinkedHashMap<>();
    private final Map<String, INDArray> gradViews = new LinkedHashMap<>();
    /** The gradients of the parameters a step moves: the leading region. */
    private final Map<String, INDArray> steppedGrads = new LinkedHashMap<>();
    private final Map<String, INDArray> stats = new LinkedHashMap<>();
    private final long count;

    /**
     * @param stepUnreached whether an SGD step also moves the parameters no gradient reaches, with a zero
     *     gradient (weight decay and momentum), as PyTorch does for a parameter whose gradient is a zero tensor
     */
    Parameters(Graph graph, DataType type, boolean stepUnreached) {
        this.count = total(graph);
        this.reachable = reachable(graph);
        this.stepped = stepUnreached ? count : reachable;
        try {
            values = arrays.zeros(type, count);
            grads = arrays.zeros(type, count);
            momentum = arrays.zeros(type, Math.max(1, stepped));
            for (String bn : graph.batchNorms()) {
                long c = graph.parameterShapes.get(bn + ".weight")[0];
                stats.put(bn + ".running_mean", arrays.zeros(type, c));
                stats.put(bn + ".running_var", arrays.zeros(type, c).assign(1));
            }
        } catch (RuntimeException e) {
            arrays.close();
            throw e;
        }
        List<String> order = graph.parameterOrder();
        long offset = 0;
        for (String p : order) {
            long[] shape = graph.parameterShapes.get(p);
            long n = length(shape);
            views.put(p, values.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', shape));
            gradViews.put(p, grads.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', shape));
            if (offset < stepped) {
                steppedGrads.put(p, gradViews.get(p));
            }
            offset += n;
        }
        // PyTorch's defaults; the other draws are the caller's
        views.forEach((name, v) -> {
            if (name.endsWith(".weight") && isBatchNorm(name.substring(0, name.indexOf('.')))) {
                v.assign(1);
            }
        });
    }

    /**
     * The elements the arrays of an engine of {@code graph} hold: parameters and their gradients, the
     * momentum of those a step moves, and two running statistics per BatchNorm channel.
     */
    static long elements(Graph graph, boolean stepUnreached) {
        long total = total(graph);
        long statistics = 0;
        for (String bn : graph.batchNorms()) {
            statistics += 2 * graph.parameterShapes.get(bn + ".weight")[0];
        }
        return 2 * total + Math.max(1, stepUnreached ? total : reachable(graph)) + statistics;
    }

    private static long total(Graph graph) {
        return graph.parameterShapes.values().stream().mapToLong(Parameters::length).sum();
    }

    private static long reachable(Graph graph) {
        return graph.parameterShapes.entrySet().stream().filter(e -> graph.isReached(e.getKey()))
                .mapToLong(e -> length(e.getValue())).sum();
    }

    static long length(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    INDArray value(String name) {
        return views.get(name);
    }

    INDArray grad(String name) {
        return gradViews.get(name);
    }

    INDArray statistic(String name) {
        return stats.get(name);
    }

    boolean isBatchNorm(String layer) {
        return stats.containsKey(layer + ".running_mean");
    }

    Map<String, INDArray> values() {
        return Collections.unmodifiableMap(views);
    }

    Map<String, INDArray> statistics() {
        return Collections.unmodifiableMap(stats);
    }

    Map<String, INDArray> gradients() {
        return Collections.unmodifiableMap(steppedGrads);
    }

    long count() {
        return count;
    }

    void close() {
        arrays.close();
    }

    /** {@link NesterovSgd} over the region a step moves. */
    void step(double learningRate, double mu, double weightDecay) {
        if (stepped == 0) {
            return;
        }
        INDArray p = stepped == values.length() ? values : values.get(NDArrayIndex.interval(0, stepped));
        INDArray g = stepped == grads.length() ? grads : grads.get(NDArrayIndex.interval(0, stepped));
        NesterovSgd.step(p, g, momentum, null, learningRate, mu, weightDecay);
        if (stepped > reachable) {
            // the step left its direction in the gradients, and no backward writes these: zero again
            grads.get(NDArrayIndex.interval(reachable, stepped)).assign(0);
        }
    }
}
