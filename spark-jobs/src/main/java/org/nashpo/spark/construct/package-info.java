/**
 * The construct job: a benchmark spec's runs, minus those the output already holds, trained as
 * Spark tasks (longest first) on the GPU each task was assigned or on bounded CPU threads, each
 * published atomically into the output as soon as it finishes.
 */
package org.nashpo.spark.construct;
