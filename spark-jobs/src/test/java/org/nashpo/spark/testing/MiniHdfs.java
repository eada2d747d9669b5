package org.nashpo.spark.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** The in-process HDFS the integration tests share per test class, and its shutdown with their Spark. */
public final class MiniHdfs {

    private MiniHdfs() {
    }

    /** A one-datanode cluster keeping its blocks under {@code base/hdfs}, ready for hdfs:// URIs. */
    public static MiniDFSCluster start(Path base) throws IOException {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        return hdfs;
    }

    /** Stops Spark (if started), then HDFS (if started), whatever the first does. */
    public static void stop(AutoCloseable spark, MiniDFSCluster hdfs) throws Exception {
        try {
            if (spark != null) {
                spark.close();
            }
        } finally {
            if (hdfs != null) {
                hdfs.shutdown();
            }
        }
    }
}
