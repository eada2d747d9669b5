package org.nashpo.worker.nn;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A ReLU layer that never writes into its input. DL4J's {@code ActivationLayer} applies its
 * activation in place at inference: where a cell node feeds both a conv edge (through this ReLU)
 * and a skip or pool edge, or a reduction's input also feeds its shortcut, those would read
 * relu(x) instead of x, and every evaluation pass would compute another network than training.
 */
public class Relu extends ActivationLayer {

    private static final long serialVersionUID = 1L;

    public Relu() {
        super(Activation.RELU);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new OutOfPlace(conf, networkDataType), initializer(), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public Relu clone() {
        return (Relu) super.clone();
    }

    /** DL4J's layer, with the input copied at inference as it already is in training. */
    static final class OutOfPlace extends org.deeplearning4j.nn.layers.ActivationLayer {

        OutOfPlace(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            assertInputSet(false);
            INDArray copy = mgr.dup(ArrayType.ACTIVATIONS, input, input.ordering());
            return layerConf().getActivationFn().getActivation(copy, training);
        }
    }
}
