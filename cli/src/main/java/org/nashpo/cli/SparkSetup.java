package org.nashpo.cli;

import org.apache.spark.SparkConf;

/** The Spark configuration of a command: spark-submit's, else embedded {@code local[*]} on loopback. */
final class SparkSetup {

    private SparkSetup() {
    }

    /** A configuration named {@code appName}, with {@code master} if given, else spark-submit's, else local[*]. */
    static SparkConf conf(String appName, String master) {
        return conf(appName, master, "local[*]");
    }

    /** As {@link #conf(String, String)}, with {@code embedded} as the master when neither is given. */
    static SparkConf conf(String appName, String master, String embedded) {
        // spark-submit passes its master as a system property, which SparkConf reads
        if ((master != null ? master : System.getProperty("spark.master", embedded)).startsWith("local")) {
            // before the first setting: SparkConf's first set already makes Spark write the note
            LoopbackNote.quiet();
        }
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(embedded);
        }
        if (conf.get("spark.master").startsWith("local")) {
            // embedded: no cluster networking to configure, and the host name may not resolve
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
            // a benchmark's tables are small next to Spark's default of 200 shuffle partitions
            conf.setIfMissing("spark.sql.shuffle.partitions", String.valueOf(2 * Runtime.getRuntime().availableProcessors()));
        }
        return conf;
    }
}
