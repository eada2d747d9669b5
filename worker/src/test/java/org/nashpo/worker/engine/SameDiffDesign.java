package org.nashpo.worker.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nashpo.core.network.NetworkGraph.Layer;
import org.nashpo.core.network.NetworkGraph.Value;
import org.nashpo.core.network.NetworkGraph;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.worker.backend.Backend;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Design B of docs/ENGINE.md, measured: the engine's network as a SameDiff graph (the same declarable
 * ops: conv2d, batchnorm with batch moments, relu, avgpool2d, matmul, log-softmax), its training step
 * as SameDiff's {@code calculateGradients} and its inference as {@code output}, timed beside design A
 * ({@link CellEngine}) on the same network and random batch, in one JVM, one after the other.
 * Not a test: run from the test class path with {@code cellcode width batch steps}.
 */
public final class SameDiffDesign {

    private SameDiffDesign() {
    }

    static SameDiff build(Graph g) {
        SameDiff sd = SameDiff.create();
        Map<Value, SDVariable> v = new HashMap<>();
        v.put(g.input, sd.placeHolder("input", DataType.FLOAT, -1, 3, 32, 32));
        SDVariable labels = sd.placeHolder("labels", DataType.FLOAT, -1, NetworkShape.CLASSES);
        for (Layer layer : g.layers()) {
            List<SDVariable> in = new ArrayList<>();
            for (Value i : layer.inputs()) {
                if (i.isZero()) {
                    throw new UnsupportedOperationException("zero nodes are not part of this prototype");
                }
                in.add(v.get(i));
            }
            SDVariable out;
            if (layer instanceof NetworkGraph.Conv conv) {
                long[] w = g.parameterShapes.get(conv.name() + ".weight");
                // SameDiff's default YXIO [kH, kW, iC, oC]: with OIYX its conv2d_bp fails validation (the
                // derivative does not carry the weights format over)
                SDVariable weight = sd.var(conv.name() + "_w", Nd4j.rand(DataType.FLOAT, w[2], w[3], w[1], w[0])
                        .subi(0.5).muli(0.2));
                SDVariable bias = conv.bias() ? sd.var(conv.name() + "_b", Nd4j.zeros(DataType.FLOAT, w[0])) : null;
                Conv2DConfig c = Conv2DConfig.builder().kH(conv.kernel()).kW(conv.kernel()).sH(conv.stride())
                        .sW(conv.stride()).pH(conv.padding()).pW(conv.padding()).dH(1).dW(1).dataFormat("NCHW")
                        .weightsFormat(WeightsFormat.YXIO).build();
                out = bias == null ? sd.cnn().conv2d(in.get(0), weight, c) : sd.cnn().conv2d(in.get(0), weight, bias, c);
            } else if (layer instanceof NetworkGraph.BatchNorm) {
                long c = g.parameterShapes.get(layer.name() + ".weight")[0];
                // SameDiff M2.1 cannot differentiate its batchNorm op (BatchNorm.doDiff loses the axis when the
                // graph is duplicated for the gradient: "Invalid axis argument ... Got null"), so BatchNorm is
                // built from moments and broadcast arithmetic, which it can
                SDVariable[] m = sd.math().moments(in.get(0), new int[] {0, 2, 3}, true);
                SDVariable gamma = sd.var(layer.name() + "_g", Nd4j.ones(DataType.FLOAT, 1, c, 1, 1));
                SDVariable beta = sd.var(layer.name() + "_b", Nd4j.zeros(DataType.FLOAT, 1, c, 1, 1));
                out = in.get(0).sub(m[0]).div(sd.math().sqrt(m[1].add(CellEngine.BN_EPS))).mul(gamma).add(beta);
            } else if (layer instanceof NetworkGraph.Relu) {
                out = sd.nn().relu(in.get(0), 0);
            } else if (layer instanceof NetworkGraph.AvgPool pool) {
                out = sd.cnn().avgPooling2d(in.get(0), Pooling2DConfig.builder().kH(pool.kernel()).kW(pool.kernel())
                        .sH(pool.stride()).sW(pool.stride()).pH(pool.padding()).pW(pool.padding())
                        .divisor(pool.countPadding() ? Pooling2D.Divisor.INCLUDE_PADDING : Pooling2D.Divisor.EXCLUDE_PADDING)
                        .isNHWC(false).build());
            } else if (layer instanceof NetworkGraph.Add add) {
                SDVariable sum = in.get(0).mul(add.multiplicity().get(0).doubleValue());
                for (int k = 1; k < in.size(); k++) {
                    sum = sum.add(in.get(k).mul(add.multiplicity().get(k).doubleValue()));
                }
                out = sum;
            } else {
                long[] w = g.parameterShapes.get(layer.name() + ".weight");
                SDVariable weight = sd.var("output_w", Nd4j.rand(DataType.FLOAT, w[1], w[0]).subi(0.5).muli(0.2));
                SDVariable bias = sd.var("output_b", Nd4j.zeros(DataType.FLOAT, 1, w[0]));
                out = in.get(0).mean(2, 3).mmul(weight).add("logits", bias);
            }
            v.put(layer.output(), out);
        }
        SDVariable logits = v.get(g.head.output());
        SDVariable loss = labels.mul(sd.nn().logSoftmax(logits)).sum(1).mean().neg().rename("loss");
        sd.setLossVariables(loss);
        return sd;
    }

    public static void main(String[] args) {
        CellCode cell = SearchSpace.NAS_HPO_BENCH_2.parse(args[0]);
        NetworkShape shape = new NetworkShape(Integer.parseInt(args[1]), 5, 3);
        int n = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        Backend.configure(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 3, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, NetworkShape.CLASSES);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % NetworkShape.CLASSES;
            y.putScalar(i, labels[i], 1);
        }
        Graph g = Graph.of(cell, shape);
        SameDiff sd = build(g);
        List<String> trainable = new ArrayList<>();
        sd.variables().forEach(var -> {
            if (var.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                trainable.add(var.name());
            }
        });
        Map<String, INDArray> feed = Map.of("input", x, "labels", y);
        for (int i = 0; i < 2; i++) {
            sd.calculateGradients(feed, trainable);
            sd.output(feed, "logits");
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            sd.calculateGradients(feed, trainable);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            sd.output(feed, "logits");
        }
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "B SameDiff  %s width %d batch %d: forward+backward %.1f images/s, inference %.1f images/s%n",
                cell, shape.width(), n, steps * n / ((t1 - t0) / 1e9), steps * n / ((t2 - t1) / 1e9));
        try (CellEngine e = new CellEngine(cell, shape, DataType.FLOAT, n)) {
            e.initialise(1);
            e.input(n).assign(x);
            for (int i = 0; i < 2; i++) {
                e.forwardBackward(n, labels);
                e.infer(n);
            }
            t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                e.forwardBackward(n, labels);
            }
            t1 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                e.infer(n);
            }
            t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "A CellEngine %s width %d batch %d: forward+backward %.1f images/s, inference %.1f images/s%n",
                    cell, shape.width(), n, steps * n / ((t1 - t0) / 1e9), steps * n / ((t2 - t1) / 1e9));
        }
    }
}
