package org.nashpo.worker.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.NetworkShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

class TorchSgdTest {

    @BeforeAll
    static void backend() {
        Backend.configure(2);
    }

    @Test
    void stepsAreTorchNesterovAcrossLearningRateChanges() {
        int epochs = 4;
        double lr = 0.4;
        double mu = 0.9;
        TorchSgd sgd = new TorchSgd(new CosineSchedule(lr, epochs), mu);
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        GradientUpdater<TorchSgd> u = sgd.instantiate(state, true);
        double[][] grads = {{1, -2, 0.5}, {0.3, 0.1, -1}, {-0.7, 0.2, 2}, {0.05, -0.5, 0.25}};
        double[] buf = new double[3];
        for (int step = 0; step < grads.length; step++) {
            int epoch = step; // one step per epoch: the rate changes between steps
            INDArray g = Nd4j.createFromArray(grads[step].clone()).reshape(1, 3);
            u.applyUpdater(g, step, epoch);
            double rate = CosineSchedule.at(lr, epoch, epochs);
            for (int i = 0; i < 3; i++) {
                // torch.optim.SGD(nesterov=True): buf = μ·buf + g; step = lr·(g + μ·buf)
                buf[i] = mu * buf[i] + grads[step][i];
                double expected = rate * (grads[step][i] + mu * buf[i]);
                assertThat(g.getDouble(0, i)).as("step %d, element %d", step, i).isCloseTo(expected, within(1e-12));
            }
        }
    }

    @Test
    void cosineScheduleIsPerEpoch() {
        assertThat(CosineSchedule.at(0.1, 0, 12)).isEqualTo(0.1);
        assertThat(CosineSchedule.at(0.1, 6, 12)).isCloseTo(0.05, within(1e-15));
        assertThat(CosineSchedule.at(0.1, 11, 12)).isCloseTo(0.1 * (1 + Math.cos(Math.PI * 11 / 12)) / 2, within(1e-15));
        assertThat(new CosineSchedule(0.1, 12).valueAt(999, 3)).isEqualTo(CosineSchedule.at(0.1, 3, 12));
        assertThatThrownBy(() -> new CosineSchedule(-0.1, 12)).hasMessageContaining("was -0.1");
        assertThatThrownBy(() -> new CosineSchedule(0.1, 0)).hasMessageContaining("epochs: must be ≥ 1, was 0");
    }

    /**
     * With momentum 0 one step is p − lr·(g + wd·p); the same step without decay is p − lr·g, so
     * the two networks differ by exactly lr·wd·p in every trainable parameter — BatchNorm γ and β
     * and biases included, as PyTorch's weight_decay does — and not in the running statistics.
     */
    @Test
    void weightDecayReachesEveryTrainableParameterAndNoStatistic() {
        double lr = 0.1;
        double wd = 0.01;
        ComputationGraph decayed = network(lr, wd);
        ComputationGraph plain = network(lr, 0);
        Map<String, INDArray> before = new HashMap<>();
        for (Layer layer : decayed.getLayers()) {
            layer.paramTable().forEach((param, value) ->
                    before.put(layer.getConfig().getLayerName() + "." + param, value.dup()));
        }
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32),
                Nd4j.eye(10).getRows(0, 1, 2, 3).castTo(DataType.FLOAT));
        decayed.fit(batch);
        plain.fit(batch);
        int checked = 0;
        for (Layer layer : decayed.getLayers()) {
            String name = layer.getConfig().getLayerName();
            for (String param : layer.paramTable().keySet()) {
                INDArray diff = plain.getLayer(name).getParam(param).sub(layer.getParam(param));
                boolean statistic = param.equals("mean") || param.equals("var") || param.equals("log10stdev");
                INDArray expected = before.get(name + "." + param).mul(statistic ? 0 : lr * wd);
                assertThat(diff.sub(expected).amaxNumber().doubleValue()).as("%s.%s", name, param).isLessThan(1e-6);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    /** A small network whose parameters are all away from 0 (β = 0 would hide a missing decay). */
    private static ComputationGraph network(double lr, double wd) {
        ComputationGraph net = new ComputationGraph(CellNetwork.configuration(CellCode.parse("0|10|210"),
                new NetworkShape(2, 1, 2), new TorchSgd(new CosineSchedule(lr, 1), 0), wd, 3));
        net.init();
        TorchInit.apply(net, 5);
        net.params().addi(0.25);
        return net;
    }
}
