/**
 * The aggregate job: reads every run record of a construct output, keeps one per key, and publishes
 * the benchmark directory of format 2 (docs/BENCHMARK-FORMAT.md) as a whole; also the pieces every
 * job writing benchmark files shares (Avro table parts with their checksums, publication by rename).
 */
package org.nashpo.spark.aggregate;
