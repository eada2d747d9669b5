package org.nashpo.core.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;

/**
 * The network of one cell as data (docs/PROTOCOL.md §2): its values (activations, per image) and the layers
 * between them, in forward order, with their parameters in PyTorch's names and layouts. The engine compiles
 * it; {@link NetworkCost} counts it. What a family and an operation build is decided here, once:
 *
 * <ul>
 *   <li>stem: 3×3 convolution (the family's bias) → BatchNorm;
 *   <li>per stage, its cells, and before every stage but the first a residual reduction block:
 *       ReLU → 3×3 convolution, stride 2 → BatchNorm → ReLU → 3×3 convolution → BatchNorm, plus the shortcut
 *       2×2 average pooling, stride 2 → 1×1 convolution (all with the family's bias), summed;
 *   <li>a cell: node j is the sum of its incoming edges' outputs (a node with none is a zero value); an edge
 *       builds its operation's {@linkplain Op#kind() kind}: ReLU (one per source node, shared by its
 *       convolutions) → k×k convolution without bias → BatchNorm, or k×k average pooling (the family's
 *       padding rule); an identity passes its source on, a zero adds nothing;
 *   <li>head: BatchNorm → ReLU → {@link Head} (global average pooling → dense layer with bias).
 * </ul>
 *
 * <p>Every edge's layers exist, also when fed only by zero values (the reference networks hold and run them,
 * and their parameters count).
 */
public final class NetworkGraph {

    /** An activation: channels × resolution² per image. */
    public static final class Value {
        private final String name;
        private final int channels;
        private final int resolution;
        private final boolean zero;
        private Layer producer;

        private Value(String name, int channels, int resolution, boolean zero) {
            this.name = name;
            this.channels = channels;
            this.resolution = resolution;
            this.zero = zero;
        }

        public String name() {
            return name;
        }

        public int channels() {
            return channels;
        }

        public int resolution() {
            return resolution;
        }

        /** A sum of nothing: zeros, produced by no layer. */
        public boolean isZero() {
            return zero;
        }

        /** The layer that computes the value; null for the input and zero values. */
        public Layer producer() {
            return producer;
        }

        /** Elements per image. */
        public long perImage() {
            return (long) channels * resolution * resolution;
        }

        @Override
        public String toString() {
            return name + "[" + channels + "×" + resolution + "²" + (zero ? ", zero" : "") + "]";
        }
    }

    /** One layer: its inputs and output. */
    public sealed interface Layer {
        /** The layer's name: its parameters are {@code name.weight}, {@code name.bias}, … */
        String name();

        List<Value> inputs();

        Value output();

        /** The first input. */
        default Value input() {
            return inputs().get(0);
        }
    }

    /** A convolution, square kernel, C_in → C_out. */
    public record Conv(String name, Value input, Value output, int kernel, int stride, int padding, boolean bias)
            implements Layer {
        @Override
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    /** BatchNorm with learnable γ, β and running statistics. */
    public record BatchNorm(String name, Value input, Value output) implements Layer {
        @Override
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    public record Relu(String name, Value input, Value output) implements Layer {
        @Override
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    /** Square average pooling; {@code countPadding}: padding counts in the divisor. */
    public record AvgPool(String name, Value input, Value output, int kernel, int stride, int padding,
            boolean countPadding) implements Layer {
        @Override
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    /** Σ multiplicity_i · input_i: an input an edge reaches k times counts k times. */
    public record Add(String name, List<Value> inputs, List<Integer> multiplicity, Value output) implements Layer {
    }

    /** Global average pooling, then a dense layer with bias to the classes: the output are the logits. */
    public record Head(String name, Value input, Value output) implements Layer {
        @Override
        public List<Value> inputs() {
            return List.of(input);
        }
    }

    private final NetworkShape shape;
    private final Value input;
    private final List<Value> values = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, long[]> parameterShapes = new LinkedHashMap<>();
    private final List<String> batchNorms = new ArrayList<>();
    private Head head;

    private NetworkGraph(NetworkShape shape) {
        this.shape = shape;
        this.input = value("input", NetworkShape.IMAGE_CHANNELS, shape.inputSize(), false);
    }

    /** The network of {@code cell} in the shape (and family) {@code shape}. */
    public static NetworkGraph of(CellCode cell, NetworkShape shape) {
        Objects.requireNonNull(cell, "cell");
        NetworkGraph g = new NetworkGraph(Objects.requireNonNull(shape, "shape"));
        boolean bias = shape.family().skeletonBias();
        Value x = g.bn("stem_bn", g.conv("stem_conv", g.input, shape.channels(0), 3, 1, bias));
        for (int stage = 0; stage < shape.stages(); stage++) {
            if (stage > 0) {
                x = g.reduction("r" + stage, x, shape.channels(stage), bias);
            }
            for (int c = 0; c < shape.cellsPerStage(); c++) {
                x = g.cell("s" + stage + "c" + c, cell, x);
            }
        }
        Value logits = g.value("logits", shape.classes(), 1, false);
        Value features = g.relu("head_relu", g.bn("head_bn", x));
        g.head = g.add(new Head("output", features, logits));
        g.parameterShapes.put("output.weight", new long[] {shape.classes(), features.channels});
        g.parameterShapes.put("output.bias", new long[] {shape.classes()});
        return g;
    }

    public NetworkShape shape() {
        return shape;
    }

    /** The images. */
    public Value input() {
        return input;
    }

    /** Every value, in the order they were made (input first, logits last). */
    public List<Value> values() {
        return List.copyOf(values);
    }

    /** The layers in forward order. */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    public Head head() {
        return head;
    }

    /** Parameter name → shape (PyTorch's layout), in network order: the order initialisation draws them. */
    public Map<String, long[]> parameterShapes() {
        Map<String, long[]> copy = new LinkedHashMap<>();
        parameterShapes.forEach((name, dims) -> copy.put(name, dims.clone()));
        return copy;
    }

    /** The BatchNorm layers' names, in network order (each has running statistics). */
    public List<String> batchNorms() {
        return List.copyOf(batchNorms);
    }

    private Value cell(String name, CellCode cell, Value input) {
        Value[] node = new Value[CellCode.NODES];
        Value[] relu = new Value[CellCode.NODES];
        node[0] = input;
        for (int target = 1; target < CellCode.NODES; target++) {
            List<Value> terms = new ArrayList<>();
            for (int e = 0; e < CellCode.EDGES; e++) {
                Op op = cell.op(e);
                if (CellCode.to(e) != target || op.isZero()) {
                    continue;
                }
                int source = CellCode.from(e);
                String edge = name + "_e" + source + target;
                if (op.kind() instanceof Op.Kind.ReluConvBn k) {
                    if (relu[source] == null) {
                        relu[source] = relu(name + "_relu" + source, node[source]);
                    }
                    String suffix = k.kernel() == 3 ? "" : k.kernel() + "x" + k.kernel();
                    terms.add(bn(edge + "_bn" + suffix, conv(edge + "_conv" + suffix, relu[source],
                            input.channels, k.kernel(), 1, false)));
                } else if (op.kind() instanceof Op.Kind.AvgPool k) {
                    String layer = edge + "_pool" + (k.kernel() == 3 ? "" : k.kernel() + "x" + k.kernel());
                    Value out = value(layer, input.channels, input.resolution, false);
                    terms.add(add(new AvgPool(layer, node[source], out, k.kernel(), 1, k.kernel() / 2,
                            shape.family().poolCountsPadding())).output());
                } else if (op.isIdentity()) {
                    terms.add(node[source]);
                } else {
                    throw new IllegalStateException("no layers for " + op + " (" + op.kind() + ")");
                }
            }
            node[target] = sum(name + "_n" + target, terms, input);
        }
        return node[CellCode.NODES - 1];
    }

    /** Σ terms (a term listed k times counts k times); one term is itself; none is a zero value. */
    private Value sum(String name, List<Value> terms, Value like) {
        if (terms.isEmpty()) {
            return value(name, like.channels, like.resolution, true);
        }
        if (terms.size() == 1) {
            return terms.get(0);
        }
        Map<Value, Integer> counts = new LinkedHashMap<>();
        terms.forEach(t -> counts.merge(t, 1, Integer::sum));
        return add(new Add(name, List.copyOf(counts.keySet()), List.copyOf(counts.values()),
                value(name, like.channels, like.resolution, false))).output();
    }

    private Value reduction(String name, Value input, int channels, boolean bias) {
        Value a = bn(name + "_bn_a", conv(name + "_conv_a", relu(name + "_relu_a", input), channels, 3, 2, bias));
        Value b = bn(name + "_bn_b", conv(name + "_conv_b", relu(name + "_relu_b", a), channels, 3, 1, bias));
        Value pooled = add(new AvgPool(name + "_pool", input, value(name + "_pool", input.channels,
                input.resolution / 2, false), 2, 2, 0, true)).output();
        Value shortcut = conv(name + "_shortcut", pooled, channels, 1, 1, bias);
        return add(new Add(name, List.of(b, shortcut), List.of(1, 1), value(name, channels, b.resolution, false)))
                .output();
    }

    private Value conv(String name, Value input, int channels, int kernel, int stride, boolean bias) {
        parameterShapes.put(name + ".weight", new long[] {channels, input.channels, kernel, kernel});
        if (bias) {
            parameterShapes.put(name + ".bias", new long[] {channels});
        }
        Value out = value(name, channels, input.resolution / stride, false);
        return add(new Conv(name, input, out, kernel, stride, kernel / 2, bias)).output();
    }

    private Value bn(String name, Value input) {
        parameterShapes.put(name + ".weight", new long[] {input.channels});
        parameterShapes.put(name + ".bias", new long[] {input.channels});
        batchNorms.add(name);
        return add(new BatchNorm(name, input, value(name, input.channels, input.resolution, false))).output();
    }

    private Value relu(String name, Value input) {
        return add(new Relu(name, input, value(name, input.channels, input.resolution, false))).output();
    }

    private Value value(String name, int channels, int resolution, boolean zero) {
        Value v = new Value(name, channels, resolution, zero);
        values.add(v);
        return v;
    }

    private <L extends Layer> L add(L layer) {
        layer.output().producer = layer;
        layers.add(layer);
        return layer;
    }
}
