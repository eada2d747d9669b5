package org.nashpo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What bin/submit passes spark-submit where no cluster of that kind can run here (Kubernetes), or where a
 * case is cheaper to check without one (a Slurm allocation described by its environment):
 * NASHPO_PRINT_COMMAND prints the command instead of running it. And what it refuses, and how.
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
    void kubernetesDefaultsToTheImageOfThisVersion() throws Exception {
        List<String> c = command(Map.of(), "k8s", "k8s://https://api:6443", "construct", "--spec", "/specs/full.yaml");
        assertThat(c).contains("spark.kubernetes.container.image=nashpo:" + System.getProperty("nashpo.version")
                + "-cuda");
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

    /** A node of a Slurm allocation as its environment describes it: 16 CPUs, 4 GPUs, 64 GB, 2 nodes. */
    private static final Map<String, String> SLURM_NODE = Map.of("SLURM_JOB_ID", "4242", "SLURMD_NODENAME", "gpu07",
            "SLURM_JOB_NUM_NODES", "2", "SLURM_CPUS_ON_NODE", "16", "SLURM_GPUS_ON_NODE", "4",
            "CUDA_VISIBLE_DEVICES", "4,5,6,7", "SLURM_MEM_PER_NODE", "65536");

    @Test
    void slurmTakesGpusCoresAndMemoryFromTheAllocationAndRunsSparkFromTheDistribution() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(SLURM_NODE);
        env.put("NASHPO_PRINT_COMMAND", "1");
        LocalSlurm.ProcessResult r = submit(env, "slurm", "construct", "--spec", "spec.yaml");
        assertThat(r.code()).as(r.out()).isZero();
        List<String> c = r.out().lines().toList();
        // no SPARK_HOME: spark-submit's own class on the distribution's Spark jars, with the driver's heap
        assertThat(c.get(0)).endsWith("java");
        assertThat(c).contains("-Xmx2048m", "org.apache.spark.deploy.SparkSubmit", "--driver-memory", "2048m",
                "spark.executor.resource.gpu.amount=4", "spark.task.resource.gpu.amount=1", "spark.task.cpus=4",
                "spark.executor.cores=16", "spark.executor.memory=4096m", "spark.executor.memoryOverhead=17408m");
        assertThat(String.join(" ", c)).contains("--master spark://").contains("--deploy-mode client ")
                .contains("-Dlog4j2.configurationFile=").endsWith("/lib/nashpo-app.jar construct --spec spec.yaml")
                .doesNotContain("discoveryScript");

        env.put("SPARK_HOME", "/opt/spark");
        assertThat(submit(env, "slurm", "construct", "--spec", "spec.yaml").out().lines().findFirst())
                .contains("/opt/spark/bin/spark-submit");
    }

    @Test
    void slurmRefusesWhatCannotRunWithAClearMessageAndExitTwo() throws Exception {
        LocalSlurm.ProcessResult outside = submit(Map.of(), "slurm", "construct", "--spec", "spec.yaml");
        assertThat(outside.code()).isEqualTo(2);
        assertThat(outside.out()).isEqualTo("submit: slurm: not inside a Slurm allocation (SLURM_JOB_ID is unset): submit "
                + "conf/slurm.sbatch with sbatch, or run bin/submit slurm from salloc\n");

        Map<String, String> noGpus = new java.util.HashMap<>(SLURM_NODE);
        noGpus.remove("SLURM_GPUS_ON_NODE");
        noGpus.remove("CUDA_VISIBLE_DEVICES");
        LocalSlurm.ProcessResult cpuOnly = submit(noGpus, "slurm", "construct", "--spec", "spec.yaml");
        assertThat(cpuOnly.code()).isEqualTo(2);
        assertThat(cpuOnly.out()).startsWith("submit: slurm: the allocation has no GPUs on gpu07").contains("--gres=gpu:4");

        Map<String, String> small = new java.util.HashMap<>(SLURM_NODE);
        small.put("SLURM_MEM_PER_NODE", "16384");
        LocalSlurm.ProcessResult tooSmall = submit(small, "slurm", "construct", "--spec", "spec.yaml");
        assertThat(tooSmall.code()).isEqualTo(2);
        assertThat(tooSmall.out()).startsWith("submit: slurm: the first node needs 24576m (the executor 21504m: heap "
                + "4096m, off-heap 16384m for 4 runs, overhead 17408m; the worker and the master 512m each, the driver "
                + "2048m), more than the 16384m the allocation has per node");

        Map<String, String> fewCores = new java.util.HashMap<>(SLURM_NODE);
        fewCores.put("NASHPO_CORES_PER_TASK", "8");
        LocalSlurm.ProcessResult tooMany = submit(fewCores, "slurm", "construct", "--spec", "spec.yaml");
        assertThat(tooMany.code()).isEqualTo(2);
        assertThat(tooMany.out()).contains("an executor trains 4 runs at once with 8 cores each, 32 cores, more than the "
                + "16 CPUs the allocation has on gpu07");
    }

    /** bin/submit with only {@code env} (and PATH) in its environment. */
    private static LocalSlurm.ProcessResult submit(Map<String, String> env, String... args) throws Exception {
        Path dist = Path.of(System.getProperty("nashpo.dist"));
        List<String> cmd = new java.util.ArrayList<>(List.of(dist.resolve("bin/submit").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        return new LocalSlurm.ProcessResult(p.exitValue(), out);
    }

    @Test
    void withoutItsArgumentsItPrintsItsUsageAndExitsTwo() throws Exception {
        Path dist = Path.of(System.getProperty("nashpo.dist"));
        Process p = new ProcessBuilder(dist.resolve("bin/submit").toString()).redirectErrorStream(true).start();
        String usage = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(usage).startsWith("Submits `nashpo construct`").contains("NASHPO_PRINT_COMMAND=1")
                .contains("NASHPO_SPEC_CONFIGMAP=NAME").contains("bin/submit slurm ").contains("NASHPO_DRIVER_MEMORY=2g")
                .doesNotContain("set -euo").doesNotContain("#");
    }
}
