/**
 * A run's data (PROTOCOL.md §3, §8): the official files of CIFAR-10, CIFAR-100 (binary versions) and ImageNet16
 * (Python pickles, read with Pyrolite) from any Hadoop FileSystem URI, validated before training; the fixed
 * divisions into train, valid and test (NAS-HPO-Bench-II's, and NAS-Bench-201's split files, shipped as
 * resources), the subsets of small runs, and batches normalised and augmented exactly as torchvision does. Plain
 * Java arrays only (no ND4J), so loading and batch assembly are fast and testable without a native backend.
 */
package org.nashpo.worker.data;
