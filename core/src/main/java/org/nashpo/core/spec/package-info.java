/**
 * The benchmark spec: the YAML file that says what a construct job builds (cells, hyperparameter grid,
 * seeds, schedules, data, output, network, resources), its validation — every problem at once, each
 * with its path — its expansion into {@link org.nashpo.core.run.RunKey run keys}, its hash for
 * provenance, and the cost model that orders runs longest first. Pure Java, so the CLI can check a
 * spec without Spark.
 */
package org.nashpo.core.spec;
