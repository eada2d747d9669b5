package org.nashpo.worker.train;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nashpo.core.run.BuildInfo;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.backend.Devices;

/**
 * Where a run was trained: collected in one place, at the edge, for the run record. Spark's
 * construct job passes the executor id and the GPU address it assigned; a standalone run has none.
 */
public final class Provenance {

    private Provenance() {
    }

    /**
     * The provenance of a run on this JVM.
     *
     * @param executorId Spark executor, or null outside Spark
     * @param assignedGpu the GPU address Spark assigned to the task, or null
     * @param device {@code cpu} or {@code cuda:<address>}
     * @param dataChecksums input file → md5
     * @param rngSeed the seed the run's random streams derive from
     * @param specHash the spec that asked for the run, or null
     */
    public static org.nashpo.schema.Provenance collect(String executorId, String assignedGpu, String device, Map<String, String> dataChecksums,
            long rngSeed, String specHash, Instant startedAt, Instant finishedAt) {
        BuildInfo build = BuildInfo.current();
        Map<String, String> libraries = new LinkedHashMap<>();
        library(libraries, "nd4j-api", "org.nd4j", "nd4j-api");
        library(libraries, "nd4j-native", "org.nd4j", "nd4j-native");
        library(libraries, "nd4j-cuda", "org.nd4j", "nd4j-cuda-11.6");
        library(libraries, "hadoop-client-api", "org.apache.hadoop", "hadoop-client-api");
        library(libraries, "avro", "org.apache.avro", "avro");
        library(libraries, "spark-core", "org.apache.spark", "spark-core_2.13");
        return org.nashpo.schema.Provenance.newBuilder()
                .setNashpoVersion(build.version())
                .setGitCommit(build.commit())
                .setJavaVersion(System.getProperty("java.vendor") + " " + Runtime.version())
                .setOs(System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"))
                .setCpu(Devices.cpu().name())
                .setHost(host())
                .setExecutorId(executorId)
                .setDevice(device)
                .setDeviceName(Backend.deviceName(device))
                .setAssignedGpu(assignedGpu)
                .setBackend(Backend.describe())
                .setLibraryVersions(libraries)
                .setDataChecksums(Map.copyOf(dataChecksums))
                .setRngSeed(rngSeed)
                .setSpecHash(specHash)
                .setStartedAt(startedAt)
                .setFinishedAt(finishedAt)
                .build();
    }

    /** Version of a jar on the class path, from the pom.properties Maven writes into it. */
    private static void library(Map<String, String> into, String name, String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Provenance.class.getResourceAsStream(resource)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                into.put(name, p.getProperty("version", "unknown"));
            }
        } catch (IOException e) {
            into.put(name, "unreadable: " + e.getMessage());
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
