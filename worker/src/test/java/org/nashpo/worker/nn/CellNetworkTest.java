package org.nashpo.worker.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkCost;
import org.nashpo.core.space.NetworkShape;
import org.nashpo.worker.train.Trainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CellNetworkTest {

    private static final NetworkShape SMALL = new NetworkShape(4, 1, 3);

    @BeforeAll
    static void backend() {
        Backend.configure(2);
    }

    private static ComputationGraphConfiguration conf(String code, NetworkShape shape) {
        return CellNetwork.configuration(CellCode.parse(code), shape, new TorchSgd(new CosineSchedule(0.1, 12), 0.9),
                5e-4, 1);
    }

    private static ComputationGraph net(String code, NetworkShape shape, long seed) {
        ComputationGraph net = new ComputationGraph(conf(code, shape));
        net.init();
        TorchInit.apply(net, seed);
        return net;
    }

    /** Trainable parameters of a configuration, without allocating the network. */
    private static long trainableParameters(ComputationGraphConfiguration conf) {
        long total = 0;
        for (Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
            if (v.getValue() instanceof LayerVertex lv) {
                var layer = lv.getLayerConf().getLayer();
                long n = layer.initializer().numParams(layer);
                if (layer instanceof BatchNormalization bn) {
                    n -= 2 * bn.getNOut(); // running mean and variance
                }
                total += n;
            }
        }
        return total;
    }

    @Test
    void trainableParametersEqualTheAnalyticCountForAll4096Cells() {
        for (CellCode cell : CellCode.all()) {
            long dl4j = trainableParameters(conf(cell.toString(), NetworkShape.BENCHMARK));
            assertThat(dl4j).as("parameters of %s", cell).isEqualTo(NetworkCost.of(cell).parameters());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0|00|000", "0|10|210", "3|33|333", "2|22|222", "3|30|333"})
    void anInitialisedNetworkHasTheReferenceCountAndTheRightOutput(String code) {
        ComputationGraph net = net(code, NetworkShape.BENCHMARK, 7);
        INDArray out = net.outputSingle(false, Nd4j.rand(DataType.FLOAT, 3, 3, 32, 32));
        assertThat(out.shape()).containsExactly(3, 10);
        for (int i = 0; i < 3; i++) {
            assertThat(out.getRow(i).sumNumber().doubleValue()).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void weightsAndBiasesAreUniformWithinOneOverRootFanIn() {
        ComputationGraph net = net("0|00|000", NetworkShape.BENCHMARK, 11);
        for (Layer layer : net.getLayers()) {
            if (layer instanceof ConvolutionLayer) {
                INDArray w = layer.getParam("W");
                double bound = 1 / Math.sqrt(w.length() / w.size(0));
                assertThat(w.maxNumber().doubleValue()).isLessThanOrEqualTo(bound).isGreaterThan(0.9 * bound);
                assertThat(w.minNumber().doubleValue()).isGreaterThanOrEqualTo(-bound).isLessThan(-0.9 * bound);
                // U(-b, b) has standard deviation b/√3
                assertThat(w.stdNumber().doubleValue()).isCloseTo(bound / Math.sqrt(3), within(0.05 * bound));
                INDArray b = layer.getParam("b");
                if (b != null) {
                    assertThat(b.amaxNumber().doubleValue()).isLessThanOrEqualTo(bound).isGreaterThan(0);
                }
            }
            if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                assertThat(layer.getParam("gamma").minNumber().doubleValue()).isEqualTo(1.0);
                assertThat(layer.getParam("gamma").maxNumber().doubleValue()).isEqualTo(1.0);
                assertThat(layer.getParam("beta").amaxNumber().doubleValue()).isZero();
            }
        }
        assertThat(net.params()).isEqualTo(net("0|00|000", NetworkShape.BENCHMARK, 11).params());
        assertThat(net.params()).isNotEqualTo(net("0|00|000", NetworkShape.BENCHMARK, 12).params());
    }

    @Test
    void cellPoolingCountsPaddingInTheDivisor() {
        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(4, 4, 1));
        String pool = CellNetwork.addCellPool(builder, "e", "in");
        ComputationGraph g = new ComputationGraph(builder.setOutputs(pool).build());
        g.init();
        INDArray out = g.outputSingle(false, Nd4j.ones(DataType.FLOAT, 1, 1, 4, 4));
        // corner: 4 real pixels of 9, edge: 6 of 9, inside: 9 of 9 (PyTorch count_include_pad=True)
        assertThat(out.shape()).containsExactly(1, 1, 4, 4);
        assertThat(out.getDouble(0, 0, 0, 0)).isCloseTo(4.0 / 9, within(1e-6));
        assertThat(out.getDouble(0, 0, 0, 1)).isCloseTo(6.0 / 9, within(1e-6));
        assertThat(out.getDouble(0, 0, 1, 1)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void batchNormUsesTheProtocolsEpsilonAndMomentum() {
        for (GraphVertex v : conf("0|00|000", SMALL).getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization bn) {
                assertThat(bn).isInstanceOf(TorchBatchNormalization.class);
                assertThat(bn.getEps()).isEqualTo(1e-5);
                assertThat(bn.getDecay()).isEqualTo(0.9);
            }
        }
    }
}
