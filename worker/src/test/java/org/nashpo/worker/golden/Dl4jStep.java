package org.nashpo.worker.golden;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nashpo.core.space.NetworkShape;
import org.nashpo.worker.golden.GoldenFixture.Tensor;
import org.nashpo.worker.nn.CellNetwork;
import org.nashpo.worker.nn.TorchSgd;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Runs a fixture's step on the worker's network ({@link CellNetwork} as a DL4J ComputationGraph with
 * {@link TorchSgd}): loads the initial state, takes the training-mode forward and the gradient, two
 * SGD steps, then an evaluation-mode forward.
 */
final class Dl4jStep {

    private static final String POOLED = "head_pool";

    private Dl4jStep() {
    }

    static Measured measure(GoldenFixture f, DataType type) {
        Map<Integer, Double> rates = new HashMap<>();
        for (int i = 0; i < f.lrs().length; i++) {
            rates.put(i, f.lrs()[i]);
        }
        ComputationGraph net = new ComputationGraph(CellNetwork.configuration(f.cell(), f.shape(),
                new TorchSgd(new MapSchedule(ScheduleType.ITERATION, rates), f.momentum()), f.weightDecay(), 0, type));
        net.init();
        for (Tensor t : f.tensors()) {
            INDArray target = param(net, t);
            INDArray value = Nd4j.create(f.init().get(t.name()), t.shape(), 'c').castTo(type);
            target.assign(isDenseWeight(t) ? value.transpose() : value.reshape(target.shape()));
        }
        int n = f.batchSize();
        INDArray x = Nd4j.create(f.input(), new long[] {n, NetworkShape.IMAGE_CHANNELS, NetworkShape.IMAGE_SIZE,
                NetworkShape.IMAGE_SIZE}, 'c').castTo(type);
        INDArray y = Nd4j.zeros(type, n, NetworkShape.CLASSES);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, f.labels()[i], 1);
        }

        double[] logits = logits(net, x, true);
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        double loss = net.score();
        Gradient gradient = net.gradient();
        Map<String, double[]> gradients = new LinkedHashMap<>();
        for (Tensor t : f.parameters()) {
            // DL4J's gradient is the sum over the minibatch; its updater divides it by the batch size
            INDArray g = gradient.getGradientFor(t.layer() + "_" + key(net, t)).div(n);
            gradients.put(t.name(), values(isDenseWeight(t) ? g.transpose() : g));
        }

        net.fit(new DataSet(x, y));
        net.fit(new DataSet(x, y));
        double loss2 = net.score();
        Map<String, double[]> changes = new LinkedHashMap<>();
        for (Tensor t : f.tensors()) {
            INDArray p = param(net, t);
            double[] now = values(isDenseWeight(t) ? p.transpose() : p);
            float[] before = f.init().get(t.name());
            for (int i = 0; i < now.length; i++) {
                now[i] -= before[i];
            }
            changes.put(t.name(), now);
        }
        return new Measured(logits, loss, gradients, changes, loss2, logits(net, x, false));
    }

    /** Logits = the head's pooled features × W + b (DL4J's output layer applies softmax on top). */
    private static double[] logits(ComputationGraph net, INDArray x, boolean train) {
        INDArray pooled = net.feedForward(x, train).get(POOLED);
        Layer output = net.getLayer(CellNetwork.OUTPUT);
        INDArray w = output.getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b = output.getParam(DefaultParamInitializer.BIAS_KEY);
        return values(pooled.mmul(w).addRowVector(b));
    }

    private static boolean isDenseWeight(Tensor t) {
        // PyTorch's Linear weight is [out, in]; DL4J's dense W is [in, out]
        return t.layer().equals(CellNetwork.OUTPUT) && t.kind().equals("weight");
    }

    private static INDArray param(ComputationGraph net, Tensor t) {
        INDArray p = net.getLayer(t.layer()).getParam(key(net, t));
        if (p == null) {
            throw new IllegalStateException("the network has no parameter for " + t.name());
        }
        return p;
    }

    private static String key(ComputationGraph net, Tensor t) {
        Layer layer = net.getLayer(t.layer());
        if (layer == null) {
            throw new IllegalStateException("the network has no layer " + t.layer() + " (fixture tensor " + t.name() + ")");
        }
        boolean bn = layer instanceof BatchNormalization;
        return switch (t.kind()) {
            case "weight" -> bn ? BatchNormalizationParamInitializer.GAMMA : DefaultParamInitializer.WEIGHT_KEY;
            case "bias" -> bn ? BatchNormalizationParamInitializer.BETA : DefaultParamInitializer.BIAS_KEY;
            case "running_mean" -> BatchNormalizationParamInitializer.GLOBAL_MEAN;
            case "running_var" -> BatchNormalizationParamInitializer.GLOBAL_VAR;
            default -> throw new IllegalStateException("unknown tensor kind " + t.name());
        };
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
