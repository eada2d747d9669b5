package org.nashpo.cli;

import org.apache.spark.SparkConf;

/** The Spark configuration of a command: spark-submit's, else embedded {@code local[*]} on loopback. */
final class SparkSetup {

    private SparkSetup() {
    }

    /** A configuration named {@code appName}, with {@code master} if given, else spark-submit's, else local[*]. */
    static SparkConf conf(String appName, String master) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            // embedded: no cluster networking to configure, and the host name may not resolve
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        return conf;
    }
}
