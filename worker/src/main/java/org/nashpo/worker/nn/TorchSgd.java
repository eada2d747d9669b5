package org.nashpo.worker.nn;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * SGD with Nesterov momentum computed as {@code torch.optim.SGD(nesterov=True)} does:
 * {@code b ← μ·b + g; p ← p − lr·(g + μ·b)}. DL4J's own {@code Nesterovs} keeps the learning rate
 * inside its velocity, which differs from PyTorch whenever the rate changes (every epoch here).
 * Weight decay is added to {@code g} before this step by DL4J's L2 regularisation, as in PyTorch.
 */
public final class TorchSgd implements IUpdater {

    private static final long serialVersionUID = 1L;

    @JsonProperty("learningRate")
    private ISchedule learningRate;
    @JsonProperty("momentum")
    private final double momentum;

    public TorchSgd(@JsonProperty("learningRate") ISchedule learningRate, @JsonProperty("momentum") double momentum) {
        this.learningRate = Objects.requireNonNull(learningRate, "learningRate");
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum: must be in [0, 1), was " + momentum);
        }
        this.momentum = momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater<TorchSgd> instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater<TorchSgd> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        Updater u = new Updater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public TorchSgd clone() {
        return new TorchSgd(learningRate.clone(), momentum);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRate.valueAt(iteration, epoch);
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lrSchedule != null ? lrSchedule : new CosineSchedule(lr, 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TorchSgd other && other.momentum == momentum && other.learningRate.equals(learningRate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, momentum);
    }

    /** The per-parameter-block state: PyTorch's momentum buffer. */
    static final class Updater implements GradientUpdater<TorchSgd> {
        private static final String BUFFER = "momentum_buffer";
        private final TorchSgd config;
        private INDArray buffer;

        Updater(TorchSgd config) {
            this.config = config;
        }

        @Override
        public TorchSgd getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
            INDArray b = stateMap.get(BUFFER);
            if (b == null || stateMap.size() != 1) {
                throw new IllegalStateException("TorchSgd state must hold exactly [" + BUFFER + "], has " + stateMap.keySet());
            }
            if (initialize) {
                b.assign(0);
            }
            buffer = b;
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of(BUFFER, buffer);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
            if (initialize) {
                viewArray.assign(0);
            }
            // a view, never a copy: DL4J keeps all updater state in one array it saves and restores
            buffer = Shape.newShapeNoCopy(viewArray, gradientShape, gradientOrder == 'f');
            if (buffer == null) {
                throw new IllegalStateException("cannot view the updater state as the gradient's shape");
            }
        }

        /** Turns the gradient into the step DL4J subtracts from the parameters. */
        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            double mu = config.momentum;
            double lr = config.getLearningRate(iteration, epoch);
            INDArray g = gradient.reshape(buffer.shape());
            // PyTorch's buffer starts as the first gradient, which is μ·0 + g: no special first step
            buffer.muli(mu).addi(g);
            g.addi(buffer.mul(mu)).muli(lr);
        }
    }
}
