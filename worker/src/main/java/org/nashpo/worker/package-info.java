/**
 * Trains one run of the protocol on ND4J: CIFAR-10 from any Hadoop FileSystem URI, the fixed train/valid
 * split and augmentation, the cell's network (core's network graph, in its space and family) and its
 * trainer. Never imports Spark, so a run can be trained, and debugged, without a cluster.
 */
package org.nashpo.worker;
