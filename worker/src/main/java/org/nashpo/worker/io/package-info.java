/**
 * Run files: Avro container files of {@code TrainingRun} records on any Hadoop FileSystem,
 * written to a hidden temporary name and published by rename, so readers never see half a file.
 */
package org.nashpo.worker.io;
