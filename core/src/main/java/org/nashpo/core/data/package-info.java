/**
 * The data sets a benchmark is trained on and how each is divided (docs/PROTOCOL.md §3, §8): CIFAR-10,
 * CIFAR-100 and ImageNet16-120 ({@link org.nashpo.core.data.Dataset}: image size, classes, normalisation,
 * augmentation) and the two divisions into train, valid and test ({@link org.nashpo.core.data.DataSplit}:
 * NAS-HPO-Bench-II's and NAS-Bench-201's). What the protocol says about the data, not how files are read (the
 * worker reads them). Pure Java.
 */
package org.nashpo.core.data;
