package org.nashpo.worker.nn;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default initialisation (PROTOCOL.md §2): every convolution and dense weight and bias
 * from U(−1/√fan_in, +1/√fan_in), fan_in = inputs × kernel area; BatchNorm γ = 1, β = 0 (DL4J's
 * own defaults). Drawn in Java from one seeded stream, layer by layer in graph order, so a seed
 * gives the same network on every backend.
 */
public final class TorchInit {

    private TorchInit() {
    }

    public static void apply(ComputationGraph net, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Layer layer : net.getLayers()) {
            if (!(layer instanceof ConvolutionLayer) && !(layer instanceof BaseOutputLayer)) {
                continue;
            }
            INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
            long fanIn = layer instanceof ConvolutionLayer ? w.length() / w.size(0) : w.size(0);
            double bound = 1 / Math.sqrt(fanIn);
            fill(w, bound, random);
            INDArray b = layer.getParam(DefaultParamInitializer.BIAS_KEY);
            if (b != null) {
                fill(b, bound, random);
            }
        }
    }

    private static void fill(INDArray target, double bound, SplittableRandom random) {
        float[] values = new float[Math.toIntExact(target.length())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble(-bound, bound));
        }
        target.assign(Nd4j.create(values, target.shape(), target.ordering()));
    }
}
