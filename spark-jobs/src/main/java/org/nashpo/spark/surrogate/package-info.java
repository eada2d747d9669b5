/**
 * fit-surrogate: predicts a configuration's long-schedule mean test accuracy from its encoding and its
 * short-schedule results with Spark MLlib tree ensembles, chosen and scored by cross-validation over
 * architecture classes (no class in both the training and the held-out fold), and publishes the
 * predictions for every configuration of the benchmark's grid, the model and its metrics into the
 * benchmark directory (docs/SURROGATE.md).
 */
package org.nashpo.spark.surrogate;
