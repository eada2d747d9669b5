/**
 * The export job: a benchmark directory (format 1 or 2) as Parquet or CSV tables for pandas, as Avro
 * with its schemas, or as the three pickles of the original NAS-HPO-Bench-II Python API
 * (PROTOCOL.md §4), written to any Hadoop FileSystem and published whole.
 */
package org.nashpo.spark.export;
