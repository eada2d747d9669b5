/** What the Spark jobs' integration tests share: the in-process HDFS they read and write through hdfs:// URIs. */
package org.nashpo.spark.testing;
