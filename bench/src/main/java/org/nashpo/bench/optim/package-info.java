/**
 * Black-box optimizers over the configurations of any cell space (PROTOCOL.md §5, docs/OPTIMIZERS.md:
 * six edges of the space's K operations, 8 learning rates, 6 batch sizes) behind one ask/tell
 * interface: random search, local search, REA, REINFORCE, Hyperband and BOHB (multi-fidelity: each ask
 * also names the epochs to evaluate), the two-stage RS → REA and BOHB → REA, and ASNG. Each searches a
 * {@link org.nashpo.bench.optim.Domain} — a joint space, a product sub-space of it or a NAS-only /
 * HPO-only {@link org.nashpo.bench.optim.Restriction} — and draws every random choice from the {@link
 * java.util.SplittableRandom} it was built with: no global RNG, so a run is reproduced by its seed.
 * {@link org.nashpo.bench.optim.OptimizerRun} drives one optimizer against a benchmark session under
 * a simulated-time budget. The interface is open: an {@link org.nashpo.bench.optim.OptimizerProvider}
 * written outside nashpo names an optimizer of its own, which the experiment runs beside these.
 */
package org.nashpo.bench.optim;
