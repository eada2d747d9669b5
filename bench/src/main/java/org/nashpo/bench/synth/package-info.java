/**
 * Synthetic benchmarks in the real format, of any cell space and network family (by default
 * NAS-HPO-Bench-II's at full size, or what a spec describes), with a smooth, plausible, seeded model
 * of accuracy and cost, for building and testing the query API and the optimizers before trained
 * benchmarks exist (and for users testing their own optimizers).
 */
package org.nashpo.bench.synth;
