package org.nashpo.worker.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nashpo.core.network.NetworkGraph;
import org.nashpo.core.network.NetworkGraph.Layer;
import org.nashpo.core.network.NetworkGraph.Value;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellCode;
import org.nashpo.worker.backend.Backend;

/**
 * What the engine adds to a cell's {@link NetworkGraph} (core's network as data, which decides every
 * layer, name and parameter): which layers and values a gradient reaches, which layers backward runs and
 * who writes each gradient first, and where each batch-sized array lives ({@link Layout}). Independent of
 * the batch size: every {@link Plan} of an engine compiles the same graph.
 */
final class Graph {

    /**
     * The engine's kernel of each kind of layer, and what its backward reads of the forward pass: a
     * convolution, BatchNorm, pooling and the head their input, ReLU its output ({@code relu_bp} passes the
     * gradient where it is positive), a sum nothing.
     */
    enum Kernel {
        CONV(true, false), BATCH_NORM(true, false), RELU(false, false), AVG_POOL(true, false), SUM(false, true),
        HEAD(true, false);

        private final boolean backwardReadsInput;
        private final boolean addsToGradients;

        Kernel(boolean backwardReadsInput, boolean addsToGradients) {
            this.backwardReadsInput = backwardReadsInput;
            this.addsToGradients = addsToGradients;
        }

        /**
         * Whether its backward adds to an input's gradient itself and skips an input without one, so it needs
         * no scratch array (a BatchNorm only on the engine's own kernel).
         */
        boolean addsToGradients(boolean ownBatchNorm) {
            return this == BATCH_NORM ? ownBatchNorm : addsToGradients;
        }

        /** The forward value the layer's backward reads, or null. */
        Value backwardReads(Layer layer) {
            return backwardReadsInput ? layer.input() : this == RELU ? layer.output() : null;
        }

        /** The kernel of a layer of the core graph; a kind of layer the engine has no kernel for is an error. */
        static Kernel of(Layer layer) {
            if (layer instanceof NetworkGraph.Conv) {
                return CONV;
            } else if (layer instanceof NetworkGraph.BatchNorm) {
                return BATCH_NORM;
            } else if (layer instanceof NetworkGraph.Relu) {
                return RELU;
            } else if (layer instanceof NetworkGraph.AvgPool) {
                return AVG_POOL;
            } else if (layer instanceof NetworkGraph.Add) {
                return SUM;
            } else if (layer instanceof NetworkGraph.Head) {
                return HEAD;
            }
            throw new IllegalStateException("the engine has no kernel for the layer " + layer.name() + " ("
                    + layer.getClass().getSimpleName() + ")");
        }
    }

    /** A batch-sized array of a value: its activation or its gradient. */
    record Array(Value value, boolean gradient) {
    }

    /** A layer's own batch-sized scratch array for an input gradient it adds to (or one nothing reads). */
    record Scratch(Layer layer) {
    }

    final NetworkGraph network;
    final Value input;
    final Layer head;
    /** Parameter name → shape, in network order (the core graph's). */
    final Map<String, long[]> parameterShapes;
    /** Values a gradient reaches (and must be computed for). */
    final Set<Value> gradient = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The layers backward runs. */
    final Set<Layer> backward = Collections.newSetFromMap(new IdentityHashMap<>());
    /** For each value with a gradient, the layer that writes it first in backward; later writers add to it. */
    final Map<Value, Layer> firstWriter = new IdentityHashMap<>();
    /** Names of the layers a gradient reaches. */
    private final Set<String> reached = new HashSet<>();
    private final Map<Layer, Kernel> kernels = new IdentityHashMap<>();
    /** Where the batch-sized arrays live. */
    final Layout layout;
    /** BatchNorms on the engine's kernel, which adds to an input's gradient in place. */
    final boolean ownBatchNorm;

    Graph(NetworkGraph network) {
        this(network, !Backend.isCuda());
    }

    /** @param ownBatchNorm whether BatchNorms run on the engine's kernel (the CPU) or on the library's op (CUDA) */
    Graph(NetworkGraph network, boolean ownBatchNorm) {
        this.ownBatchNorm = ownBatchNorm;
        this.network = network;
        this.input = network.input();
        this.head = network.head();
        this.parameterShapes = network.parameterShapes();
        for (Layer layer : network.layers()) {
            kernels.put(layer, Kernel.of(layer));
        }
        markReached();
        planBackward();
        this.layout = layout();
    }

    static Graph of(CellCode cell, NetworkShape shape) {
        return new Graph(NetworkGraph.of(cell, shape));
    }

    List<Layer> layers() {
        return network.layers();
    }

    List<Value> values() {
        return network.values();
    }

    List<String> batchNorms() {
        return network.batchNorms();
    }

    Kernel kernel(Layer layer) {
        return kernels.get(layer);
    }

    /** Whether a value's activation lives in the arena (the input, zero values and the logits have their own). */
    boolean inArena(Value v) {
        return v != input && !v.isZero() && v != head.output();
    }

    /** Whether a gradient reaches the layer holding this parameter ({@code layer.weight}, …). */
    boolean isReached(String parameter) {
        return reached.contains(parameter.substring(0, parameter.indexOf('.')));
    }

    private boolean hasParameters(Layer layer) {
        return parameterShapes.containsKey(layer.name() + ".weight");
    }

    /** Walks back from the logits: the layers and values a gradient reaches. Zero values stop it. */
    private void markReached() {
        List<Value> pending = new ArrayList<>(List.of(head.output()));
        while (!pending.isEmpty()) {
            Value v = pending.remove(pending.size() - 1);
            if (!gradient.add(v) || v.producer() == null) {
                continue;
            }
            reached.add(v.producer().name());
            pending.addAll(v.producer().inputs());
        }
        gradient.remove(input);
        gradient.removeIf(Value::isZero);
    }

    /**
     * The layers backward runs — those whose output has a gradient and that pass it on to a parameter or
     * to an input with a gradient — and for each value with a gradient the layer that writes it first
     * (its last consumer in forward order); later writers add to it.
     */
    private void planBackward() {
        List<Layer> layers = network.layers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer layer = layers.get(i);
            boolean runs = gradient.contains(layer.output())
                    && (hasParameters(layer) || layer.inputs().stream().anyMatch(gradient::contains));
            if (!runs) {
                continue;
            }
            backward.add(layer);
            for (Value in : layer.inputs()) {
                if (gradient.contains(in)) {
                    firstWriter.putIfAbsent(in, layer);
                }
            }
        }
    }

    /**
     * The lifetimes of every batch-sized array over one training step (forward in layer order, then
     * backward in reverse), placed in one arena. A sum writes its inputs' gradients itself; every other
     * kernel but BatchNorm (which adds in place too) writes an input's gradient through an output array — the
     * gradient's own when it writes it first, else its scratch array, added afterwards — and a kernel with
     * parameters computes one even
     * for an input without a gradient (into its scratch array, which nothing reads).
     */
    private Layout layout() {
        Layout l = new Layout();
        List<Layer> layers = network.layers();
        int t = 0;
        for (Layer layer : layers) {
            for (Value in : layer.inputs()) {
                touchData(l, in, t);
            }
            touchData(l, layer.output(), t);
            t++;
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer layer = layers.get(i);
            if (!backward.contains(layer)) {
                continue;
            }
            Kernel kernel = kernels.get(layer);
            Value read = kernel.backwardReads(layer);
            if (read != null) {
                touchData(l, read, t);
            }
            if (layer != head) {
                l.touch(new Array(layer.output(), true), layer.output().perImage(), t);
            }
            for (Value v : layer.inputs()) {
                if (gradient.contains(v)) {
                    l.touch(new Array(v, true), v.perImage(), t);
                    if (firstWriter.get(v) != layer && !kernel.addsToGradients(ownBatchNorm)) {
                        l.touch(new Scratch(layer), v.perImage(), t);
                    }
                } else if (!kernel.addsToGradients(ownBatchNorm)) {
                    l.touch(new Scratch(layer), v.perImage(), t);
                }
            }
            t++;
        }
        l.place();
        return l;
    }

    private void touchData(Layout l, Value v, int t) {
        if (inArena(v)) {
            l.touch(new Array(v, false), v.perImage(), t);
        }
    }

    /** Parameter names grouped: those a gradient reaches first, each group in network order. */
    List<String> parameterOrder() {
        List<String> order = new ArrayList<>();
        parameterShapes.keySet().stream().filter(this::isReached).forEach(order::add);
        parameterShapes.keySet().stream().filter(p -> !isReached(p)).forEach(order::add);
        return order;
    }
}
