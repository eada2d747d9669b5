/**
 * The benchmark format (docs/BENCHMARK-FORMAT.md) as every writer (the Spark aggregate job, the
 * synthetic generator) and every reader (the bench library) share it: the names of a benchmark
 * directory's tables and manifest, the JSON form of the manifest (format 2, reading format 1 too),
 * file checksums, the conversion of one trained run into a row of a runs table with the rule for
 * diverged runs, and the derived tables (classes, configurations) and completeness entries. The
 * records are the Avro schemas {@code BenchmarkRun}, {@code SurrogatePrediction},
 * {@code BenchmarkClass}, {@code BenchmarkConfiguration} and {@code BenchmarkManifest} of the
 * schema module; the bench library's own {@code format} package reads and writes their rows fast.
 */
package org.nashpo.core.format;
