package org.nashpo.worker.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkShape;
import org.nashpo.core.space.Op;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the network of PROTOCOL.md §2 for one cellcode as a DL4J {@code ComputationGraph}
 * configuration. Each {@code add…} method adds one block and returns the name of its output vertex.
 *
 * <p>Fidelity notes: cell convolutions have no bias, stem/reduction/shortcut convolutions do;
 * average pooling counts padding in its divisor; a node with no incoming operation is a real zero
 * tensor (0·input), so layers fed by it exist and run as in the reference; BatchNorm uses eps 1e-5
 * and running-average decay 0.9 (PyTorch momentum 0.1). Weights are set by {@link TorchInit}.
 *
 * <p>A zero edge is the original's {@code torch.zeros_like}: no gradient passes it. A layer from
 * which no path of non-zero edges leads to the loss (a dead end, or anything before a cell whose
 * output is zero) therefore gets no gradient in PyTorch, and {@code SGD} skips it: no weight decay,
 * no momentum. Here such layers are frozen ({@code NoOp}, no weight decay); they still run, and
 * their BatchNorm running statistics still move, as in PyTorch's training-mode forward.
 */
public final class CellNetwork {

    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    static final double BN_EPS = 1e-5;
    static final double BN_DECAY = 0.9;

    private final CellCode cell;
    private final NetworkShape shape;
    private final ComputationGraphConfiguration.GraphBuilder graph;

    private CellNetwork(CellCode cell, NetworkShape shape, IUpdater updater, double weightDecay, long seed,
            DataType dataType) {
        this.cell = Objects.requireNonNull(cell, "cell");
        this.shape = Objects.requireNonNull(shape, "shape");
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay: must be ≥ 0, was " + weightDecay);
        }
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater)
                .weightInit(WeightInit.ZERO)
                .convolutionMode(ConvolutionMode.Truncate)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cudnnAlgoMode(ConvolutionLayer.AlgoMode.PREFER_FASTEST);
        if (weightDecay > 0) {
            TorchWeightDecay decay = new TorchWeightDecay(weightDecay);
            base.regularization(List.of(decay)).regularizationBias(List.of(decay));
        }
        // Layers on dead ends (a node no edge reads) exist in the reference network too: keep them.
        graph = base.graphBuilder().allowDisconnected(true).addInputs(INPUT).setInputTypes(InputType.convolutional(
                NetworkShape.IMAGE_SIZE, NetworkShape.IMAGE_SIZE, NetworkShape.IMAGE_CHANNELS, CNN2DFormat.NCHW));
    }

    /**
     * The configuration of the whole network. Weights are zero until {@link TorchInit} sets them:
     * DL4J cannot draw biases from U(±1/√fan_in) itself.
     */
    public static ComputationGraphConfiguration configuration(CellCode cell, NetworkShape shape, IUpdater updater,
            double weightDecay, long seed) {
        return configuration(cell, shape, updater, weightDecay, seed, DataType.FLOAT);
    }

    /** The same network in another floating-point type (the conformance test also runs it in double). */
    public static ComputationGraphConfiguration configuration(CellCode cell, NetworkShape shape, IUpdater updater,
            double weightDecay, long seed, DataType dataType) {
        CellNetwork n = new CellNetwork(cell, shape, updater, weightDecay, seed, dataType);
        String x = n.addStem();
        for (int stage = 0; stage < shape.stages(); stage++) {
            if (stage > 0) {
                x = n.addReduction("r" + stage, x, shape.channels(stage - 1), shape.channels(stage));
            }
            for (int c = 0; c < shape.cellsPerStage(); c++) {
                x = n.addCell("s" + stage + "c" + c, x, shape.channels(stage));
            }
        }
        n.addHead(x, shape.channels(shape.stages() - 1));
        ComputationGraphConfiguration conf = n.graph.setOutputs(OUTPUT).build();
        freezeWithoutGradient(conf);
        return conf;
    }

    /**
     * Freezes every layer no gradient reaches: those from which the output can be reached only
     * through a zero vertex (0·x), which is where the original's {@code zeros_like} stands.
     */
    private static void freezeWithoutGradient(ComputationGraphConfiguration conf) {
        Set<String> reached = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(OUTPUT));
        while (!pending.isEmpty()) {
            String vertex = pending.pop();
            if (!reached.add(vertex)) {
                continue;
            }
            if (conf.getVertices().get(vertex) instanceof ScaleVertex scale && scale.getScaleFactor() == 0) {
                continue;
            }
            pending.addAll(conf.getVertexInputs().getOrDefault(vertex, List.of()));
        }
        conf.getVertices().forEach((name, vertex) -> {
            if (!reached.contains(name) && vertex instanceof LayerVertex layer
                    && layer.getLayerConf().getLayer() instanceof BaseLayer trained) {
                trained.setIUpdater(new NoOp());
                trained.setRegularization(List.of());
                trained.setRegularizationBias(List.of());
            }
        });
    }

    /** Conv 3×3, 3 → width, with bias, then BatchNorm. */
    private String addStem() {
        String conv = addConv("stem_conv", INPUT, NetworkShape.IMAGE_CHANNELS, shape.channels(0), 3, 1, 1, true);
        return addBatchNorm("stem_bn", conv, shape.channels(0));
    }

    /**
     * One cell: node j sums its incoming edges; an edge applies its operation to its source node.
     * Edges are added in cellcode order, so vertex names and parameter order are stable.
     *
     * <p>A node no edge reads (a dead end) still exists and runs, as in the reference; DL4J needs a
     * gradient for every vertex, so it joins the output sum as 0·node, which changes no value.
     */
    private String addCell(String name, String input, int channels) {
        String[] node = new String[CellCode.NODES];
        String[] relu = new String[CellCode.NODES];
        boolean[] read = new boolean[CellCode.NODES];
        node[0] = input;
        for (int target = 1; target < CellCode.NODES; target++) {
            List<String> terms = new ArrayList<>();
            for (int e = 0; e < CellCode.EDGES; e++) {
                if (CellCode.to(e) != target || cell.op(e) == Op.ZERO) {
                    continue;
                }
                int source = CellCode.from(e);
                if (node[source] == null) {
                    node[source] = zero(name + "_n" + source, input);
                }
                read[source] = true;
                String edge = name + "_e" + source + target;
                switch (cell.op(e)) {
                    case CONV -> {
                        // one ReLU per source node feeds all its conv edges: relu(x) is the same tensor
                        if (relu[source] == null) {
                            relu[source] = name + "_relu" + source;
                            graph.addLayer(relu[source], new Relu(),
                                    node[source]);
                        }
                        String conv = addConv(edge + "_conv", relu[source], channels, channels, 3, 1, 1, false);
                        terms.add(addBatchNorm(edge + "_bn", conv, channels));
                    }
                    case AVG_POOL -> terms.add(addCellPool(graph, edge, node[source]));
                    case SKIP -> terms.add(node[source]);
                    case ZERO -> throw new AssertionError("zero edges are skipped above");
                }
            }
            if (target == CellCode.NODES - 1) {
                for (int j = 1; j < target; j++) {
                    if (node[j] != null && !read[j]) {
                        String deadEnd = name + "_n" + j + "_unread";
                        graph.addVertex(deadEnd, new ScaleVertex(0.0), node[j]);
                        terms.add(deadEnd);
                    }
                }
            }
            // a node with no incoming operation stays null until read: it is a zero tensor
            node[target] = terms.isEmpty() ? null : sum(name + "_n" + target, terms);
        }
        int output = CellCode.NODES - 1;
        return node[output] != null ? node[output] : zero(name + "_n" + output, input);
    }

    /** A zero tensor shaped like {@code like}: 0·like. */
    private String zero(String name, String like) {
        graph.addVertex(name + "_zero", new ScaleVertex(0.0), like);
        return name + "_zero";
    }

    /**
     * Adds the cell's average pooling, 3×3, stride 1, over {@code input} zero-padded by 1, with the
     * padding counted in the divisor (PyTorch's {@code count_include_pad=True}): a padding layer,
     * then a pooling of no padding of its own, whose divisor is therefore always 9. DL4J's padded
     * average pooling computes that forward pass but not its gradient (the golden step test shows
     * the difference), so the padding is a layer of its own.
     *
     * @return the name of the pooling's output vertex, {@code name + "_pool"}
     */
    static String addCellPool(ComputationGraphConfiguration.GraphBuilder graph, String name, String input) {
        graph.addLayer(name + "_pad", new ZeroPaddingLayer(1, 1), input);
        graph.addLayer(name + "_pool", new SubsamplingLayer.Builder(PoolingType.AVG)
                .kernelSize(3, 3).stride(1, 1).padding(0, 0)
                .build(), name + "_pad");
        return name + "_pool";
    }

    /** The sum of one or more terms. */
    private String sum(String name, List<String> terms) {
        // A vertex listed twice (two skips reaching the same tensor) becomes k·x: DL4J vertices
        // take each input once.
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String t : terms) {
            counts.merge(t, 1, Integer::sum);
        }
        List<String> distinct = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() == 1) {
                distinct.add(e.getKey());
            } else {
                String scaled = name + "_x" + e.getValue() + "_" + distinct.size();
                graph.addVertex(scaled, new ScaleVertex(e.getValue()), e.getKey());
                distinct.add(scaled);
            }
        }
        if (distinct.size() == 1) {
            return distinct.get(0);
        }
        graph.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), distinct.toArray(String[]::new));
        return name;
    }

    /**
     * Residual reduction in → out = 2·in: ReLU → conv 3×3 s2 → BN → ReLU → conv 3×3 → BN, plus
     * avg-pool 2×2 s2 → conv 1×1; all convs with bias.
     */
    private String addReduction(String name, String input, int in, int out) {
        graph.addLayer(name + "_relu_a", new Relu(), input);
        String a = addBatchNorm(name + "_bn_a", addConv(name + "_conv_a", name + "_relu_a", in, out, 3, 2, 1, true), out);
        graph.addLayer(name + "_relu_b", new Relu(), a);
        String b = addBatchNorm(name + "_bn_b", addConv(name + "_conv_b", name + "_relu_b", out, out, 3, 1, 1, true), out);
        graph.addLayer(name + "_pool", new SubsamplingLayer.Builder(PoolingType.AVG)
                .kernelSize(2, 2).stride(2, 2).padding(0, 0).build(), input);
        String shortcut = addConv(name + "_shortcut", name + "_pool", in, out, 1, 1, 0, true);
        graph.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), b, shortcut);
        return name;
    }

    /** BN → ReLU → global average pool → dense to the classes → softmax cross-entropy. */
    private void addHead(String input, int channels) {
        String bn = addBatchNorm("head_bn", input, channels);
        graph.addLayer("head_relu", new Relu(), bn);
        graph.addLayer("head_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "head_relu");
        graph.addLayer(OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(channels).nOut(NetworkShape.CLASSES)
                .activation(Activation.SOFTMAX)
                .hasBias(true)
                .build(), "head_pool");
    }

    private String addConv(String name, String input, int in, int out, int kernel, int stride, int pad, boolean bias) {
        graph.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel)
                .nIn(in).nOut(out)
                .stride(stride, stride).padding(pad, pad)
                .hasBias(bias)
                .activation(Activation.IDENTITY)
                .build(), input);
        return name;
    }

    private String addBatchNorm(String name, String input, int channels) {
        TorchBatchNormalization bn = new TorchBatchNormalization();
        bn.setLayerName(name);
        bn.setNIn(channels);
        bn.setNOut(channels);
        bn.setEps(BN_EPS);
        bn.setDecay(BN_DECAY);
        bn.setUseLogStd(false);
        bn.setActivationFn(Activation.IDENTITY.getActivationFunction());
        graph.addLayer(name, bn, input);
        return name;
    }
}
