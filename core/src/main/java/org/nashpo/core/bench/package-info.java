/**
 * The definition of a benchmark directory that every writer (the Spark aggregate job, the synthetic
 * generator) and every reader (the bench library) share: the names of its tables and manifest, the
 * JSON form of the manifest, file checksums, and the conversion of one trained run into a row of the
 * 12-epoch table with the rule for diverged runs. docs/BENCHMARK-FORMAT.md describes the layout;
 * the records are the Avro schemas {@code BenchmarkRun}, {@code SurrogatePrediction} and
 * {@code BenchmarkManifest} of the schema module.
 */
package org.nashpo.core.bench;
