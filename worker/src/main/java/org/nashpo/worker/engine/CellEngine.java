package org.nashpo.worker.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkShape;
import org.nashpo.core.space.Op;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The network of PROTOCOL.md §2 for one cellcode, trained on ND4J's declarable ops (oneDNN on CPU,
 * cuDNN on GPU) with buffers that live as long as the engine: no per-batch allocation of
 * activations, gradients or parameters.
 *
 * <p>Parameters are named and laid out as PyTorch's ({@code stem_conv.weight} [oC, iC, kH, kW],
 * {@code output.weight} [out, in], BatchNorm {@code .weight}/{@code .bias}/{@code .running_mean}/
 * {@code .running_var} [C]). They live in one flat array, the ones a gradient can reach first, so
 * one SGD step is four whole-array operations; a layer no gradient reaches (a dead end, anything
 * before a cell whose output is zero — the original's zero edge is {@code zeros_like}) is never
 * stepped, as PyTorch's SGD skips parameters without a gradient.
 *
 * <p>A {@link Plan} per batch size holds the activations, gradients and bound op contexts; a run
 * needs at most four (the full batch and the last, partial batch of each set).
 *
 * <p>Not thread-safe: one engine per training thread.
 */
public final class CellEngine implements AutoCloseable {

    static final double BN_EPS = 1e-5;
    static final double BN_MOMENTUM = 0.1;

    private final CellCode cell;
    private final NetworkShape shape;
    private final DataType type;
    private final Graph graph;
    private final Parameters parameters;
    private final EngineMemory memory;
    private final boolean ownsMemory;
    private final Map<Integer, Plan> plans = new HashMap<>();
    /** The memory's generation the plans were built on. */
    private int generation;

    /**
     * @param maxBatch the largest batch the engine will see: its memory is sized for it once, and every
     *     smaller batch (a set's last, partial batch) runs in the same memory
     */
    public CellEngine(CellCode cell, NetworkShape shape, DataType type, int maxBatch) {
        this(cell, shape, type, new EngineMemory(shape, type, maxBatch), true);
    }

    /**
     * An engine whose plans view {@code memory}, which engines run one at a time share (a supernet's
     * cellcodes); closing the engine leaves the memory to its owner.
     */
    public CellEngine(CellCode cell, NetworkShape shape, DataType type, EngineMemory memory) {
        this(cell, shape, type, memory, false);
    }

    private CellEngine(CellCode cell, NetworkShape shape, DataType type, EngineMemory memory, boolean ownsMemory) {
        this.cell = Objects.requireNonNull(cell, "cell");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.type = Objects.requireNonNull(type, "type");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.ownsMemory = ownsMemory;
        this.graph = Graph.build(cell, shape);
        try {
            memory.ensure(graph.layout.perImage());
        } catch (RuntimeException e) {
            if (ownsMemory) {
                memory.close();
            }
            throw e;
        }
        this.parameters = new Parameters(graph, type);
    }

    /**
     * The off-heap bytes an engine of this cell, shape and largest batch allocates up front
     * (activations, gradients, input, parameters with their gradients and momentum), without
     * building it; the ops' own temporaries come on top.
     */
    public static long bytesNeeded(CellCode cell, NetworkShape shape, DataType type, int maxBatch) {
        Graph g = Graph.build(cell, shape);
        long image = Graph.perImage(g.input);
        long largest = (long) shape.channels(0) * NetworkShape.IMAGE_SIZE * NetworkShape.IMAGE_SIZE;
        long parameters = g.parameterShapes.values().stream().mapToLong(Parameters::length).sum();
        return (maxBatch * (g.layout.perImage() + image + largest) + 3 * parameters) * type.width();
    }

    /**
     * Bytes of activations, gradients and scratch the engine holds (its parameters excluded), and
     * what they would take without sharing memory between arrays whose lifetimes do not overlap.
     */
    public long[] activationBytes() {
        long unshared = memory.maxBatch() * graph.layout.unsharedPerImage() * type.width()
                + memory.input().length() * type.width() + memory.zeros().length() * type.width();
        return new long[] {memory.bytes(), unshared};
    }

    /** Parameters by PyTorch name, in PyTorch's layouts: views of the engine's own arrays. */
    public Map<String, INDArray> parameters() {
        return parameters.values();
    }

    /** BatchNorm running statistics by name ({@code <layer>.running_mean}, {@code .running_var}): views. */
    public Map<String, INDArray> statistics() {
        return parameters.statistics();
    }

    /** The gradients of the last {@link #forwardBackward}, for the parameters a gradient reaches. */
    public Map<String, INDArray> gradients() {
        return parameters.gradients();
    }

    /** Trainable parameter count as PyTorch counts it (running statistics excluded). */
    public long parameterCount() {
        return parameters.count();
    }

    /**
     * PyTorch's default initialisation (PROTOCOL.md §2): every convolution and dense weight and bias
     * from U(−1/√fan_in, +1/√fan_in), drawn from one seeded stream in network order; BatchNorm γ = 1,
     * β = 0; running mean 0, variance 1.
     */
    public void initialise(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, INDArray> values = parameters.values();
        values.forEach((name, p) -> {
            String layer = name.substring(0, name.indexOf('.'));
            if (parameters.isBatchNorm(layer)) {
                p.assign(name.endsWith(".weight") ? 1 : 0);
                return;
            }
            long[] w = values.get(layer + ".weight").shape();
            long fanIn = w.length == 4 ? w[1] * w[2] * w[3] : w[1];
            double bound = 1 / Math.sqrt(fanIn);
            float[] draws = new float[Math.toIntExact(p.length())];
            for (int i = 0; i < draws.length; i++) {
                draws[i] = (float) random.nextDouble(-bound, bound);
            }
            p.assign(Nd4j.create(draws, p.shape(), 'c').castTo(p.dataType()));
        });
        parameters.statistics().forEach((name, s) -> s.assign(name.endsWith("running_var") ? 1 : 0));
    }

    /** The input buffer of the plan for {@code batch} images: fill it, then call a pass. */
    public INDArray input(int batch) {
        return plan(batch).input();
    }

    /** Copies {@code count} images (normalised NCHW floats, as a batch assembler writes them) into the input. */
    public void input(int count, float[] images) {
        INDArray in = plan(count).input();
        long n = in.length();
        if (images.length < n) {
            throw new IllegalArgumentException(count + " images need " + n + " floats, got " + images.length);
        }
        if (type == DataType.FLOAT) {
            in.data().asNioFloat().put(images, 0, Math.toIntExact(n)); // the input is its buffer's prefix
        } else {
            for (int i = 0; i < n; i++) {
                in.data().put(i, images[i]);
            }
        }
    }

    /**
     * −log softmax(z)[label] of one row of logits, in double from the logits as PyTorch's
     * cross-entropy computes it (a confident mistake is a large finite loss); NaN for a NaN or
     * infinite logit: a broken network.
     */
    public static double crossEntropy(double[] logits, int offset, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < NetworkShape.CLASSES; c++) {
            max = Math.max(max, logits[offset + c]);
        }
        if (!Double.isFinite(max)) {
            return Double.NaN;
        }
        double sum = 0;
        for (int c = 0; c < NetworkShape.CLASSES; c++) {
            sum += Math.exp(logits[offset + c] - max);
        }
        return Math.log(sum) + max - logits[offset + Objects.checkIndex(label, NetworkShape.CLASSES)];
    }

    /**
     * Training-mode forward and backward of the images in {@link #input(int)}: the BatchNorm running
     * statistics move (as PyTorch's training forward moves them), the gradients are set.
     *
     * @return the mean cross-entropy of the batch
     */
    public double forwardBackward(int batch, int[] labels) {
        return plan(batch).forwardBackward(labels);
    }

    /**
     * The mean cross-entropy of the images in {@link #input(int)}, forward only: with batch
     * statistics when {@code training} (the running statistics move, as in PyTorch's training-mode
     * forward), else with the running ones.
     */
    public double loss(int batch, int[] labels, boolean training) {
        return plan(batch).loss(labels, training);
    }

    /** One PyTorch {@code SGD(momentum, nesterov=True, weight_decay)} step on the last gradients. */
    public void step(double learningRate, double momentum, double weightDecay) {
        parameters.step(learningRate, momentum, weightDecay);
    }

    /** Evaluation-mode forward of the images in {@link #input(int)}; returns the logits (see {@link #logits}). */
    public INDArray infer(int batch) {
        return plan(batch).forward(false);
    }

    /** The logits [batch, classes] of the last pass at this batch size: a view, valid until the next pass. */
    public INDArray logits(int batch) {
        return plan(batch).logits();
    }

    /** The softmax probabilities of the last pass [batch, classes]: a view. */
    public INDArray probabilities(int batch) {
        return plan(batch).probabilities();
    }

    private Plan plan(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch: must be ≥ 1, was " + batch);
        }
        if (memory.generation() != generation) {
            // the shared arena was replaced by a larger one: rebuild the plans on it
            plans.values().forEach(Plan::close);
            plans.clear();
            memory.ensure(graph.layout.perImage());
            generation = memory.generation();
        }
        return plans.computeIfAbsent(batch, n -> new Plan(graph, parameters, memory, type, n));
    }

    @Override
    public void close() {
        plans.values().forEach(Plan::close);
        plans.clear();
        if (ownsMemory) {
            memory.close();
        }
        parameters.close();
    }

    /** The network's structure, independent of the batch size: values and the ops between them. */
    static final class Graph {

        /** An activation: channels × resolution², produced by one op (null: the input or a zero leaf). */
        static final class Value {
            final String name;
            final int channels;
            final int resolution;
            final boolean zero;
            OpSpec producer;

            Value(String name, int channels, int resolution, boolean zero) {
                this.name = name;
                this.channels = channels;
                this.resolution = resolution;
                this.zero = zero;
            }
        }

        enum Kind { CONV, BN, RELU, POOL3, POOL2, ADD, HEAD }

        /** One op: its inputs (with multiplicities for ADD), output and parameter names. */
        static final class OpSpec {
            final Kind kind;
            final String layer;
            final List<Value> inputs;
            final List<Integer> multiplicity;
            final Value output;
            final int stride;
            /** A convolution's kernel size (3, or 1 for a reduction's shortcut); 0 for other ops. */
            final int kernel;
            final boolean bias;

            OpSpec(Kind kind, String layer, List<Value> inputs, List<Integer> multiplicity, Value output, int stride,
                    int kernel, boolean bias) {
                this.kind = kind;
                this.layer = layer;
                this.inputs = inputs;
                this.multiplicity = multiplicity;
                this.output = output;
                this.stride = stride;
                this.kernel = kernel;
                this.bias = bias;
            }
        }

        final Value input;
        final List<OpSpec> ops = new ArrayList<>();
        final List<Value> values = new ArrayList<>();
        /** Parameter name → shape, in network order. */
        final Map<String, long[]> parameterShapes = new LinkedHashMap<>();
        /** BatchNorm layer names, in network order. */
        final List<String> batchNorms = new ArrayList<>();
        /** Layers a gradient reaches. */
        final Set<String> reached = new HashSet<>();
        /** Values a gradient reaches (and must be computed for). */
        final Set<Value> gradient = new HashSet<>();
        OpSpec head;
        /** The ops backward runs. */
        final Set<OpSpec> backward = new HashSet<>();
        /** For each value with a gradient, the op that writes it first in backward; later writers add to it. */
        final Map<Value, OpSpec> firstWriter = new HashMap<>();
        /** Where the batch-sized arrays live. */
        Layout layout;

        private Graph() {
            input = value("input", NetworkShape.IMAGE_CHANNELS, NetworkShape.IMAGE_SIZE, false);
        }

        static Graph build(CellCode cell, NetworkShape shape) {
            Graph g = new Graph();
            Value x = g.bn("stem_bn", g.conv("stem_conv", g.input, shape.channels(0), 1, true));
            for (int stage = 0; stage < shape.stages(); stage++) {
                if (stage > 0) {
                    x = g.reduction("r" + stage, x, shape.channels(stage));
                }
                for (int c = 0; c < shape.cellsPerStage(); c++) {
                    x = g.cell("s" + stage + "c" + c, cell, x);
                }
            }
            Value logits = g.value("logits", NetworkShape.CLASSES, 1, false);
            Value features = g.relu("head_relu", g.bn("head_bn", x));
            g.head = g.op(Kind.HEAD, "output", List.of(features), null, logits, 1, true);
            g.parameterShapes.put("output.weight", new long[] {NetworkShape.CLASSES, features.channels});
            g.parameterShapes.put("output.bias", new long[] {NetworkShape.CLASSES});
            g.markReached();
            g.planBackward();
            g.layout = g.layout();
            return g;
        }

        /** A batch-sized array of a value: its activation or its gradient. */
        record Array(Value value, boolean gradient) {
        }

        /** An op's own batch-sized scratch array for a gradient it adds to (or one nothing reads). */
        record Scratch(OpSpec op) {
        }

        /** Whether an op's activation lives in the arena (the input, zero leaves and logits have their own). */
        boolean inArena(Value v) {
            return v != input && !v.zero && v != head.output;
        }

        /** Elements of {@code v}'s activation per image. */
        static long perImage(Value v) {
            return (long) v.channels * v.resolution * v.resolution;
        }

        /**
         * The ops backward runs, and for each value with a gradient the op that writes it first (the
         * last consumer in forward order that passes a gradient back); later writers add to it.
         */
        private void planBackward() {
            for (int i = ops.size() - 1; i >= 0; i--) {
                OpSpec op = ops.get(i);
                boolean runs = switch (op.kind) {
                    case CONV, BN, ADD -> gradient.contains(op.output);
                    case RELU, POOL3, POOL2 -> gradient.contains(op.output) && gradient.contains(op.inputs.get(0));
                    case HEAD -> true;
                };
                if (!runs) {
                    continue;
                }
                backward.add(op);
                for (Value in : op.inputs) {
                    if (gradient.contains(in)) {
                        firstWriter.putIfAbsent(in, op);
                    }
                }
            }
        }

        /**
         * The lifetimes of every batch-sized array over one training step (forward in op order, then
         * backward in reverse), placed in one arena.
         */
        private Layout layout() {
            Layout l = new Layout();
            int t = 0;
            for (OpSpec op : ops) {
                for (Value in : op.inputs) {
                    touchData(l, in, t);
                }
                touchData(l, op.output, t);
                t++;
            }
            for (int i = ops.size() - 1; i >= 0; i--) {
                OpSpec op = ops.get(i);
                if (!backward.contains(op)) {
                    continue;
                }
                Value in = op.inputs.get(0);
                switch (op.kind) {
                    case CONV, BN, POOL3, POOL2, HEAD -> touchData(l, in, t);
                    case RELU -> touchData(l, op.output, t);
                    case ADD -> { }
                }
                if (op.kind != Kind.HEAD) {
                    l.touch(new Array(op.output, true), perImage(op.output), t);
                }
                for (Value v : op.inputs) {
                    if (gradient.contains(v)) {
                        l.touch(new Array(v, true), perImage(v), t);
                        if (firstWriter.get(v) != op && op.kind != Kind.ADD) {
                            l.touch(new Scratch(op), perImage(v), t);
                        }
                    } else if (op.kind == Kind.CONV || op.kind == Kind.BN) {
                        l.touch(new Scratch(op), perImage(v), t); // the op's gradient output nothing reads
                    }
                }
                t++;
            }
            l.place();
            return l;
        }

        private void touchData(Layout l, Value v, int t) {
            if (inArena(v)) {
                l.touch(new Array(v, false), perImage(v), t);
            }
        }

        private Value cell(String name, CellCode cell, Value input) {
            Value[] node = new Value[CellCode.NODES];
            Value[] relu = new Value[CellCode.NODES];
            node[0] = input;
            for (int target = 1; target < CellCode.NODES; target++) {
                List<Value> terms = new ArrayList<>();
                for (int e = 0; e < CellCode.EDGES; e++) {
                    if (CellCode.to(e) != target || cell.op(e) == Op.ZERO) {
                        continue;
                    }
                    int source = CellCode.from(e);
                    String edge = name + "_e" + source + target;
                    switch (cell.op(e)) {
                        case CONV -> {
                            if (relu[source] == null) {
                                relu[source] = relu(name + "_relu" + source, node[source]);
                            }
                            terms.add(bn(edge + "_bn", conv(edge + "_conv", relu[source], input.channels, 1, false)));
                        }
                        case AVG_POOL -> terms.add(op(Kind.POOL3, edge + "_pool", List.of(node[source]), null,
                                value(edge + "_pool", input.channels, input.resolution, false), 1, false).output);
                        case SKIP -> terms.add(node[source]);
                        case ZERO -> throw new AssertionError("zero edges are skipped above");
                    }
                }
                node[target] = sum(name + "_n" + target, terms, input);
            }
            return node[CellCode.NODES - 1];
        }

        /** Σ terms (a term listed k times counts k times); one term is itself; none is a zero leaf. */
        private Value sum(String name, List<Value> terms, Value like) {
            if (terms.isEmpty()) {
                return value(name, like.channels, like.resolution, true);
            }
            if (terms.size() == 1) {
                return terms.get(0);
            }
            Map<Value, Integer> counts = new LinkedHashMap<>();
            terms.forEach(t -> counts.merge(t, 1, Integer::sum));
            return op(Kind.ADD, name, List.copyOf(counts.keySet()), List.copyOf(counts.values()),
                    value(name, like.channels, like.resolution, false), 1, false).output;
        }

        private Value reduction(String name, Value input, int channels) {
            Value a = bn(name + "_bn_a", conv(name + "_conv_a", relu(name + "_relu_a", input), channels, 2, true));
            Value b = bn(name + "_bn_b", conv(name + "_conv_b", relu(name + "_relu_b", a), channels, 1, true));
            Value pooled = op(Kind.POOL2, name + "_pool", List.of(input), null,
                    value(name + "_pool", input.channels, input.resolution / 2, false), 2, false).output;
            Value shortcut = conv(name + "_shortcut", pooled, channels, 1, true, 1);
            return op(Kind.ADD, name, List.of(b, shortcut), List.of(1, 1), value(name, channels, b.resolution, false), 1,
                    false).output;
        }

        private Value conv(String name, Value input, int channels, int stride, boolean bias) {
            return conv(name, input, channels, stride, bias, 3);
        }

        private Value conv(String name, Value input, int channels, int stride, boolean bias, int kernel) {
            parameterShapes.put(name + ".weight", new long[] {channels, input.channels, kernel, kernel});
            if (bias) {
                parameterShapes.put(name + ".bias", new long[] {channels});
            }
            Value out = value(name, channels, input.resolution / stride, false);
            return add(new OpSpec(Kind.CONV, name, List.of(input), null, out, stride, kernel, bias)).output;
        }

        private Value bn(String name, Value input) {
            parameterShapes.put(name + ".weight", new long[] {input.channels});
            parameterShapes.put(name + ".bias", new long[] {input.channels});
            batchNorms.add(name);
            return op(Kind.BN, name, List.of(input), null, value(name, input.channels, input.resolution, false), 1, false)
                    .output;
        }

        private Value relu(String name, Value input) {
            return op(Kind.RELU, name, List.of(input), null, value(name, input.channels, input.resolution, false), 1,
                    false).output;
        }

        private Value value(String name, int channels, int resolution, boolean zero) {
            Value v = new Value(name, channels, resolution, zero);
            values.add(v);
            return v;
        }

        private OpSpec op(Kind kind, String layer, List<Value> inputs, List<Integer> multiplicity, Value output,
                int stride, boolean bias) {
            return add(new OpSpec(kind, layer, inputs, multiplicity, output, stride, 0, bias));
        }

        private OpSpec add(OpSpec spec) {
            spec.output.producer = spec;
            ops.add(spec);
            return spec;
        }

        /** Walks back from the logits: the layers and values a gradient reaches. Zero leaves stop it. */
        private void markReached() {
            List<Value> pending = new ArrayList<>(List.of(head.output));
            while (!pending.isEmpty()) {
                Value v = pending.remove(pending.size() - 1);
                if (!gradient.add(v) || v.producer == null) {
                    continue;
                }
                reached.add(v.producer.layer);
                pending.addAll(v.producer.inputs);
            }
            gradient.remove(input);
            gradient.removeIf(v -> v.zero);
        }

        boolean isReached(String parameter) {
            return reached.contains(parameter.substring(0, parameter.indexOf('.')));
        }
    }

    /** The flat parameter, gradient and momentum arrays, and their named views. */
    static final class Parameters {

        private final INDArray values;
        private final INDArray grads;
        private final INDArray momentum;
        /** Length of the leading region a gradient reaches. */
        private final long trainable;
        private final Map<String, INDArray> views = new LinkedHashMap<>();
        private final Map<String, INDArray> gradViews = new LinkedHashMap<>();
        /** The gradients of the parameters a gradient reaches: the leading region. */
        private final Map<String, INDArray> reachableGrads = new LinkedHashMap<>();
        private final Map<String, INDArray> stats = new LinkedHashMap<>();
        private final long count;

        Parameters(Graph graph, DataType type) {
            List<String> order = new ArrayList<>();
            graph.parameterShapes.keySet().stream().filter(graph::isReached).forEach(order::add);
            graph.parameterShapes.keySet().stream().filter(p -> !graph.isReached(p)).forEach(order::add);
            long total = 0;
            long reachable = 0;
            for (String p : order) {
                long n = length(graph.parameterShapes.get(p));
                total += n;
                if (graph.isReached(p)) {
                    reachable += n;
                }
            }
            this.count = total;
            this.trainable = reachable;
            values = Nd4j.zeros(type, total);
            grads = Nd4j.zeros(type, total);
            momentum = Nd4j.zeros(type, Math.max(1, reachable));
            long offset = 0;
            for (String p : order) {
                long[] shape = graph.parameterShapes.get(p);
                long n = length(shape);
                views.put(p, values.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', shape));
                gradViews.put(p, grads.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', shape));
                if (offset < reachable) {
                    reachableGrads.put(p, gradViews.get(p));
                }
                offset += n;
            }
            for (String bn : graph.batchNorms) {
                long c = graph.parameterShapes.get(bn + ".weight")[0];
                stats.put(bn + ".running_mean", Nd4j.zeros(type, c));
                stats.put(bn + ".running_var", Nd4j.ones(type, c));
            }
            // PyTorch's defaults; TorchInit-style draws are the caller's
            views.forEach((name, v) -> {
                if (name.endsWith(".weight") && graph.batchNorms.contains(name.substring(0, name.indexOf('.')))) {
                    v.assign(1);
                }
            });
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
            return java.util.Collections.unmodifiableMap(views);
        }

        Map<String, INDArray> statistics() {
            return java.util.Collections.unmodifiableMap(stats);
        }

        Map<String, INDArray> gradients() {
            return java.util.Collections.unmodifiableMap(reachableGrads);
        }

        long count() {
            return count;
        }

        void close() {
            values.close();
            grads.close();
            momentum.close();
            stats.values().forEach(INDArray::close);
        }

        /** {@link NesterovSgd} over the region a gradient reaches. */
        void step(double learningRate, double mu, double weightDecay) {
            if (trainable == 0) {
                return;
            }
            INDArray p = trainable == values.length() ? values : values.get(NDArrayIndex.interval(0, trainable));
            INDArray g = trainable == grads.length() ? grads : grads.get(NDArrayIndex.interval(0, trainable));
            NesterovSgd.step(p, g, momentum, null, learningRate, mu, weightDecay);
        }
    }

    @Override
    public String toString() {
        return "CellEngine(" + cell + ", " + shape + ", " + type + ", " + parameters.count() + " parameters)";
    }
}
