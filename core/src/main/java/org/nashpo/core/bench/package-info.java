/**
 * The definition of a benchmark directory that every writer (the Spark aggregate job, the synthetic
 * generator) and every reader (the bench library) share: the names of its tables and manifest, the
 * JSON form of the manifest (format 2, reading format 1 too), file checksums, the conversion of one
 * trained run into a row of a runs table with the rule for diverged runs, and the derived tables
 * (classes, configurations) and completeness entries. docs/BENCHMARK-FORMAT.md describes the
 * layout; the records are the Avro schemas {@code BenchmarkRun}, {@code SurrogatePrediction},
 * {@code BenchmarkClass}, {@code BenchmarkConfiguration} and {@code BenchmarkManifest} of the
 * schema module.
 */
package org.nashpo.core.bench;
