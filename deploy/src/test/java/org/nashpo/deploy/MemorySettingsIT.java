package org.nashpo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The memory the distribution's launchers give the JVM (deploy/README.md, "Memory"): bin/nashpo splits
 * what it is given between heap, ND4J's off-heap arrays and the whole process; bin/submit sizes an
 * executor's heap, off-heap limit and the overhead a cluster manager must grant on top of the heap.
 */
class MemorySettingsIT {

    private static String run(Map<String, String> env, String... command) throws Exception {
        Path dist = Path.of(System.getProperty("nashpo.dist"));
        ProcessBuilder pb = new ProcessBuilder(List.of(command).stream()
                .map(c -> c.startsWith("bin/") ? dist.resolve(c).toString() : c).toList());
        pb.environment().putAll(env);
        pb.environment().put("NASHPO_PRINT_MEMORY", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void nashpoSplitsTheMemoryItIsGiven() throws Exception {
        assertThat(run(Map.of("NASHPO_MEMORY", "8g"), "bin/nashpo", "status")).isEqualTo(
                "-Xmx2048m -Dorg.bytedeco.javacpp.maxbytes=4915m -Dorg.bytedeco.javacpp.maxphysicalbytes=7372m");
        // a setting of the user's own stays the user's
        assertThat(run(Map.of("NASHPO_MEMORY", "8g", "NASHPO_JAVA_OPTS", "-Xmx3g"), "bin/nashpo", "status")).isEqualTo(
                "-Dorg.bytedeco.javacpp.maxbytes=4915m -Dorg.bytedeco.javacpp.maxphysicalbytes=7372m");
        // without NASHPO_MEMORY: the container's limit or the machine's memory, whichever is smaller
        assertThat(run(Map.of(), "bin/nashpo", "status")).contains("-Xmx").contains("maxphysicalbytes");
    }

    @Test
    void submitSizesAnExecutorForTheRunsItTrainsAtOnce() throws Exception {
        Map<String, String> env = Map.of("SPARK_HOME", "/nonexistent", "NASHPO_GPUS_PER_EXECUTOR", "2");
        assertThat(run(env, "bin/submit", "yarn", "yarn", "construct", "--spec", "x.yaml")).isEqualTo(
                "executor: heap 4096m, off-heap 8192m (2 runs), overhead 9216m, container 13312m");
        Map<String, String> shared = Map.of("SPARK_HOME", "/nonexistent", "NASHPO_GPUS_PER_EXECUTOR", "2",
                "NASHPO_GPUS_PER_TASK", "0.5", "NASHPO_EXECUTOR_MEMORY", "6g", "NASHPO_RUN_OFFHEAP", "3g");
        assertThat(run(shared, "bin/submit", "yarn", "yarn", "construct", "--spec", "x.yaml")).isEqualTo(
                "executor: heap 6144m, off-heap 12288m (4 runs), overhead 13312m, container 19456m");
    }
}
