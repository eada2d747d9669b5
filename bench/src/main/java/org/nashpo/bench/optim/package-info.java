/**
 * Black-box optimizers over the joint space (PROTOCOL.md §5) behind one ask/tell interface: each
 * proposes a configuration index, is told the accuracy the benchmark answered, and draws every
 * random choice from the {@link java.util.SplittableRandom} it was built with — no global RNG, so
 * a run is reproduced by its seed. {@link org.nashpo.bench.optim.OptimizerRun} drives one optimizer
 * against a benchmark session under a simulated-time budget.
 */
package org.nashpo.bench.optim;
