/**
 * Spark applications over the worker and core: construct (the grid spread over executors),
 * aggregate, fit-surrogate and export. Spark is {@code provided}: spark-submit supplies it on a
 * cluster, the cli module adds it for embedded runs.
 */
package org.nashpo.spark;
