/**
 * CIFAR-10 for one run (PROTOCOL.md §3): the official binary batch files read from any Hadoop
 * FileSystem URI and validated before training, the fixed train/valid split, the subsets of small
 * runs, and batches normalised and augmented exactly as torchvision does. Plain Java arrays only (no
 * ND4J), so loading and batch assembly are fast and testable without a native backend.
 */
package org.nashpo.worker.data;
