/**
 * The logic of the benchmark's commands of the {@code nashpo} CLI ({@code synth-bench}, and
 * {@code perf-query}, which measures opening and querying one) as plain classes: each has a
 * {@code run(...)} that does the work and returns a result record (the {@code --json} output) with
 * its text form, so the picocli commands in the cli module stay thin and these stay testable
 * without it.
 */
package org.nashpo.bench.command;
