/**
 * Queries over an opened benchmark with the original NAS-HPO-Bench-II API's semantics (PROTOCOL.md
 * §4): {@link org.nashpo.bench.query.Benchmark} answers (immutable, shared by every thread; fast
 * primitive methods by configuration index, plus keyed, batch and whole-table queries), and a
 * {@link org.nashpo.bench.query.Session} per optimizer run keeps the original's log: every query,
 * the total cost, the best so far and the final test accuracies of the best configuration. A
 * benchmark of any short schedule S and a partial grid answers the keys it holds and names the ones
 * it does not. A benchmark's configurations are numbered in its cell space (K⁶ cellcodes × 48), and
 * its cells are read as users name them: cellcodes in the space's digits or NAS-Bench-201
 * architecture strings.
 */
package org.nashpo.bench.query;
