package org.nashpo.worker.golden;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.worker.engine.CellEngine;
import org.nashpo.worker.golden.GoldenFixture.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs a fixture's step on {@link CellEngine}: the network on ND4J's declarable ops. */
final class EngineStep {

    private EngineStep() {
    }

    static Measured measure(GoldenFixture f, DataType type) {
        try (CellEngine engine = new CellEngine(f.cell(), f.shape(), type, f.batchSize())) {
            for (Tensor t : f.tensors()) {
                INDArray target = t.statistic() ? engine.statistics().get(t.name()) : engine.parameters().get(t.name());
                if (target == null) {
                    throw new IllegalStateException("the engine has no tensor " + t.name());
                }
                target.assign(Nd4j.create(f.init().get(t.name()), t.shape(), 'c').castTo(type));
            }
            int n = f.batchSize();
            engine.input(n).assign(Nd4j.create(f.input(), new long[] {n, NetworkShape.IMAGE_CHANNELS,
                    NetworkShape.IMAGE_SIZE, NetworkShape.IMAGE_SIZE}, 'c').castTo(type));
            double loss = engine.forwardBackward(n, f.labels());
            double[] logits = values(engine.logits(n));
            Map<String, double[]> gradients = new LinkedHashMap<>();
            for (Tensor t : f.parameters()) {
                INDArray g = engine.gradients().get(t.name());
                gradients.put(t.name(), g == null ? new double[t.length()] : values(g));
            }
            engine.step(f.lrs()[0], f.momentum(), f.weightDecay());
            double loss2 = engine.forwardBackward(n, f.labels());
            engine.step(f.lrs()[1], f.momentum(), f.weightDecay());
            Map<String, double[]> changes = new LinkedHashMap<>();
            for (Tensor t : f.tensors()) {
                double[] now = values(t.statistic() ? engine.statistics().get(t.name())
                        : engine.parameters().get(t.name()));
                float[] before = f.init().get(t.name());
                for (int i = 0; i < now.length; i++) {
                    now[i] -= before[i];
                }
                changes.put(t.name(), now);
            }
            double[] eval = values(engine.infer(n));
            return new Measured(logits, loss, gradients, changes, loss2, eval);
        }
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
