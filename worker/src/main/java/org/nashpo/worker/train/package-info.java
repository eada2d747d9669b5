/**
 * The trainer of one run (PROTOCOL.md §3): seeded shuffling and augmentation, the per-epoch
 * cosine schedule, evaluation of train, valid and test after every epoch, the divergence rule,
 * and the Avro record with provenance it returns.
 */
package org.nashpo.worker.train;
