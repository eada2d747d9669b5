/**
 * A full-size synthetic benchmark in the real format, with a smooth, plausible, seeded model of
 * accuracy and cost, for building and testing the query API and the optimizers before trained
 * benchmarks exist (and for users testing their own optimizers).
 */
package org.nashpo.bench.synth;
