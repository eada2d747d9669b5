/**
 * Run files: Avro container files of {@code TrainingRun} records on any Hadoop FileSystem,
 * written to a hidden temporary name and published by rename, so readers never see half a file;
 * read only with a header of a released schema. And the construct output they live in: its staging
 * area, and the lease that lets one driver at a time build it.
 */
package org.nashpo.worker.io;
