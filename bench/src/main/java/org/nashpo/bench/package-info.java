/**
 * The benchmark as its users consume it. Depends on neither Spark nor ND4J, so a benchmark can be
 * queried from any JVM. Packages: {@code format} (the directory on disk, shared with the Spark
 * aggregate job; docs/BENCHMARK-FORMAT.md), {@code query} (opening a benchmark and answering the
 * original API's queries; one session log per optimizer run), {@code synth} (a full-size synthetic
 * benchmark), {@code command} (the logic of the CLI's
 * {@code synth-bench} and {@code perf-query}). "bench" means the benchmark everywhere: this
 * module, {@code synth-bench}, {@code --bench DIR}; the commands that measure speed and memory are
 * {@code perf-*}.
 */
package org.nashpo.bench;
