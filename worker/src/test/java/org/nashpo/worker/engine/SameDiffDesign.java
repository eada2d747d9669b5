package org.nashpo.worker.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkShape;
import org.nashpo.worker.engine.CellEngine.Graph;
import org.nashpo.worker.engine.CellEngine.Graph.OpSpec;
import org.nashpo.worker.engine.CellEngine.Graph.Value;
import org.nashpo.worker.nn.Backend;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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

    static SameDiff build(Graph g, NetworkShape shape) {
        SameDiff sd = SameDiff.create();
        Map<Value, SDVariable> v = new HashMap<>();
        v.put(g.input, sd.placeHolder("input", DataType.FLOAT, -1, 3, 32, 32));
        SDVariable labels = sd.placeHolder("labels", DataType.FLOAT, -1, NetworkShape.CLASSES);
        for (OpSpec op : g.ops) {
            List<SDVariable> in = new ArrayList<>();
            for (Value i : op.inputs) {
                if (i.zero) {
                    throw new UnsupportedOperationException("zero nodes are not part of this prototype");
                }
                in.add(v.get(i));
            }
            SDVariable out = switch (op.kind) {
                case CONV -> {
                    long[] w = g.parameterShapes.get(op.layer + ".weight");
                    // SameDiff's default YXIO [kH, kW, iC, oC]: with OIYX its conv2d_bp fails validation (the
                    // derivative does not carry the weights format over)
                    SDVariable weight = sd.var(op.layer + "_w", Nd4j.rand(DataType.FLOAT, w[2], w[3], w[1], w[0])
                            .subi(0.5).muli(0.2));
                    SDVariable bias = op.bias ? sd.var(op.layer + "_b", Nd4j.zeros(DataType.FLOAT, w[0])) : null;
                    int pad = op.kernel == 3 ? 1 : 0;
                    Conv2DConfig c = Conv2DConfig.builder().kH(op.kernel).kW(op.kernel).sH(op.stride).sW(op.stride)
                            .pH(pad).pW(pad).dH(1).dW(1).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
                    yield bias == null ? sd.cnn().conv2d(in.get(0), weight, c) : sd.cnn().conv2d(in.get(0), weight, bias, c);
                }
                case BN -> {
                    long c = g.parameterShapes.get(op.layer + ".weight")[0];
                    // SameDiff M2.1 cannot differentiate its batchNorm op (BatchNorm.doDiff loses the axis when the
                    // graph is duplicated for the gradient: "Invalid axis argument ... Got null"), so BatchNorm is
                    // built from moments and broadcast arithmetic, which it can
                    SDVariable[] m = sd.math().moments(in.get(0), new int[] {0, 2, 3}, true);
                    SDVariable gamma = sd.var(op.layer + "_g", Nd4j.ones(DataType.FLOAT, 1, c, 1, 1));
                    SDVariable beta = sd.var(op.layer + "_b", Nd4j.zeros(DataType.FLOAT, 1, c, 1, 1));
                    yield in.get(0).sub(m[0]).div(sd.math().sqrt(m[1].add(CellEngine.BN_EPS))).mul(gamma).add(beta);
                }
                case RELU -> sd.nn().relu(in.get(0), 0);
                case POOL3 -> sd.cnn().avgPooling2d(in.get(0), Pooling2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1)
                        .pW(1).divisor(org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D.Divisor.INCLUDE_PADDING).isNHWC(false).build());
                case POOL2 -> sd.cnn().avgPooling2d(in.get(0), Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0)
                        .pW(0).isNHWC(false).build());
                case ADD -> {
                    SDVariable sum = in.get(0).mul(op.multiplicity.get(0).doubleValue());
                    for (int k = 1; k < in.size(); k++) {
                        sum = sum.add(in.get(k).mul(op.multiplicity.get(k).doubleValue()));
                    }
                    yield sum;
                }
                case HEAD -> {
                    long[] w = g.parameterShapes.get("output.weight");
                    SDVariable weight = sd.var("output_w", Nd4j.rand(DataType.FLOAT, w[1], w[0]).subi(0.5).muli(0.2));
                    SDVariable bias = sd.var("output_b", Nd4j.zeros(DataType.FLOAT, 1, w[0]));
                    yield in.get(0).mean(2, 3).mmul(weight).add("logits", bias);
                }
            };
            v.put(op.output, out);
        }
        SDVariable logits = v.get(g.head.output);
        SDVariable loss = labels.mul(sd.nn().logSoftmax(logits)).sum(1).mean().neg().rename("loss");
        sd.setLossVariables(loss);
        return sd;
    }

    public static void main(String[] args) {
        CellCode cell = CellCode.parse(args[0]);
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
        Graph g = Graph.build(cell, shape);
        SameDiff sd = build(g, shape);
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
