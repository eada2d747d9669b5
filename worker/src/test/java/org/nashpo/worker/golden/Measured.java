package org.nashpo.worker.golden;

import java.util.Map;

/** What an engine computed for a {@link GoldenFixture}, in the fixture's names and PyTorch's layouts. */
record Measured(double[] logits, double loss, Map<String, double[]> gradients, Map<String, double[]> changes,
        double loss2, double[] evalLogits) {
}
