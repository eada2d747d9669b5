package org.nashpo.core.format;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.TreeMap;
import org.nashpo.core.run.BuildInfo;

/**
 * What every benchmark manifest records about the program and machine that wrote it; each writer
 * (synth-bench, aggregate) adds its own inputs and settings.
 */
public final class ManifestProvenance {

    private ManifestProvenance() {
    }

    /** nashpo version and commit, Java, OS, CPUs and host of this JVM, by name. */
    public static Map<String, String> ofThisJvm() {
        Map<String, String> p = new TreeMap<>();
        BuildInfo build = BuildInfo.current();
        p.put("nashpoVersion", build.version());
        p.put("gitCommit", build.commit() == null ? "unknown" : build.commit());
        p.put("javaVersion", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        p.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        p.put("host", host());
        return p;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
