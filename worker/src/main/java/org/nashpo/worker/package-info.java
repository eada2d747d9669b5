/**
 * Trains one run of the protocol with Deeplearning4j: CIFAR-10 from any Hadoop FileSystem URI, the
 * fixed train/valid split and augmentation, the cell network and its trainer. Never imports Spark,
 * so a run can be trained, and debugged, without a cluster.
 */
package org.nashpo.worker;
