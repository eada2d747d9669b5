package org.nashpo.worker.nn;

import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * BatchNormalization as PyTorch's {@code BatchNorm2d} trains it:
 * <ul>
 *   <li>γ and β receive the network's weight decay, as {@code SGD(weight_decay=…)} gives every
 *       parameter (DL4J's own layer never regularises them);
 *   <li>the running variance moves towards the <em>unbiased</em> batch variance (n/(n−1) times the
 *       biased one, n = images × height × width), where DL4J's layer uses the biased one.
 * </ul>
 * The running mean and variance are statistics, not parameters, and stay undecayed. The variance
 * must be stored as a variance (DL4J's {@code useLogStd} off, the default of this constructor).
 */
public class TorchBatchNormalization extends BatchNormalization {

    private static final long serialVersionUID = 1L;

    /** For DL4J's JSON round trip; {@link CellNetwork} sets the fields. */
    public TorchBatchNormalization() {
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return switch (paramName) {
            case BatchNormalizationParamInitializer.GAMMA, BatchNormalizationParamInitializer.BETA -> regularization;
            default -> null;
        };
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        if (isUseLogStd()) {
            throw new IllegalStateException(getLayerName() + ": the running variance must be stored as a variance");
        }
        return LayerWiring.wire(new UnbiasedVariance(conf, networkDataType), initializer(), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public TorchBatchNormalization clone() {
        return (TorchBatchNormalization) super.clone();
    }

    /**
     * The layer: DL4J's, with the running-variance step corrected from the biased batch variance b
     * to the unbiased one b·n/(n−1). DL4J hands the step to its updater as the "gradient"
     * dVar = (1−d)(var − b), d the decay; with b' = b·n/(n−1) it becomes
     * (1−d)(var − b') = (n·dVar − (1−d)·var)/(n−1).
     */
    static final class UnbiasedVariance extends org.deeplearning4j.nn.layers.normalization.BatchNormalization {

        UnbiasedVariance(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            Pair<Gradient, INDArray> result = super.backpropGradient(epsilon, workspaceMgr);
            INDArray step = result.getFirst().getGradientFor(BatchNormalizationParamInitializer.GLOBAL_VAR);
            INDArray variance = getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
            long n = epsilon.length() / variance.length();
            if (n > 1) {
                double keep = 1 - layerConf().getDecay();
                step.muli(n).subi(variance.mul(keep)).divi(n - 1);
            }
            return result;
        }
    }
}
