package org.nashpo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What bin/submit passes spark-submit where no cluster of that kind can run here (Kubernetes):
 * NASHPO_PRINT_COMMAND prints the command instead of running it.
 */
class SubmitCommandIT {

    private static List<String> command(Map<String, String> env, String... args) throws Exception {
        Path dist = Path.of(System.getProperty("nashpo.dist"));
        List<String> cmd = new java.util.ArrayList<>(List.of(dist.resolve("bin/submit").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("SPARK_HOME", "/opt/spark");
        pb.environment().put("NASHPO_PRINT_COMMAND", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    @Test
    void kubernetesGetsTheImageNvidiaGpusTheDiscoveryScriptAndTheMemoryOverhead() throws Exception {
        List<String> c = command(Map.of("NASHPO_EXECUTORS", "8", "NASHPO_IMAGE", "registry.example/nashpo:1-cuda"),
                "k8s", "k8s://https://api:6443", "construct", "--spec", "/specs/full.yaml");
        assertThat(c.get(0)).isEqualTo("/opt/spark/bin/spark-submit");
        assertThat(String.join(" ", c)).contains("--master k8s://https://api:6443 ").contains("--deploy-mode cluster ")
                .contains("--class org.nashpo.cli.Main ")
                .endsWith(" local:///opt/nashpo/lib/nashpo-app.jar construct --spec /specs/full.yaml");
        assertThat(c).contains("spark.executor.instances=8", "spark.kubernetes.container.image=registry.example/nashpo:1-cuda",
                "spark.executor.resource.gpu.vendor=nvidia.com", "spark.executor.resource.gpu.amount=1",
                "spark.task.resource.gpu.amount=1",
                "spark.executor.resource.gpu.discoveryScript=/opt/nashpo/conf/gpu-discovery.sh",
                "spark.executor.memory=4096m", "spark.executor.memoryOverhead=5120m", "spark.task.maxFailures=4");
        assertThat(c).anySatisfy(a -> assertThat(a).startsWith("spark.executor.extraJavaOptions=")
                .contains("-Dorg.bytedeco.javacpp.maxbytes=4096m -Dorg.bytedeco.javacpp.maxphysicalbytes=9216m"));
    }

    @Test
    void yarnShipsTheDiscoveryScriptAndRunsTheDriverHere() throws Exception {
        List<String> c = command(Map.of(), "yarn", "yarn", "construct", "--spec", "spec.yaml");
        assertThat(String.join(" ", c)).contains("--deploy-mode client ").contains("--num-executors 4 ")
                .endsWith("/lib/nashpo-app.jar construct --spec spec.yaml");
        assertThat(c).contains("spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh")
                .anySatisfy(a -> assertThat(a).endsWith("/conf/gpu-discovery.sh"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesMountsTheSpecsConfigMapInTheDriverThroughAPodTemplate() throws Exception {
        List<String> c = command(Map.of("NASHPO_SPEC_CONFIGMAP", "nashpo-spec"), "k8s", "k8s://https://api:6443",
                "construct", "--spec", "/specs/full.yaml");
        String option = "spark.kubernetes.driver.podTemplateFile=";
        Path template = Path.of(c.stream().filter(a -> a.startsWith(option)).findFirst().orElseThrow()
                .substring(option.length()));
        assertThat(c).contains("spark.kubernetes.driver.podTemplateContainerName=spark-kubernetes-driver");
        try {
            Map<String, Object> pod = (Map<String, Object>) new org.snakeyaml.engine.v2.api.Load(
                    org.snakeyaml.engine.v2.api.LoadSettings.builder().build()).loadFromString(
                    java.nio.file.Files.readString(template));
            Map<String, Object> spec = (Map<String, Object>) pod.get("spec");
            Map<String, Object> container = ((List<Map<String, Object>>) spec.get("containers")).get(0);
            assertThat(container.get("name")).isEqualTo("spark-kubernetes-driver");
            assertThat((List<Map<String, Object>>) container.get("volumeMounts")).containsExactly(
                    Map.of("name", "nashpo-spec", "mountPath", "/specs", "readOnly", true));
            assertThat((List<Map<String, Object>>) spec.get("volumes")).containsExactly(
                    Map.of("name", "nashpo-spec", "configMap", Map.of("name", "nashpo-spec")));
        } finally {
            java.nio.file.Files.deleteIfExists(template);
        }
        // without it, no template
        assertThat(command(Map.of(), "k8s", "k8s://https://api:6443", "construct", "--spec", "/specs/full.yaml"))
                .noneMatch(a -> a.startsWith(option));
    }

    @Test
    void withoutItsArgumentsItPrintsItsUsageAndExitsTwo() throws Exception {
        Path dist = Path.of(System.getProperty("nashpo.dist"));
        Process p = new ProcessBuilder(dist.resolve("bin/submit").toString()).redirectErrorStream(true).start();
        String usage = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(usage).startsWith("Submits `nashpo construct`").contains("NASHPO_PRINT_COMMAND=1")
                .contains("NASHPO_SPEC_CONFIGMAP=NAME").doesNotContain("set -euo").doesNotContain("#");
    }
}
