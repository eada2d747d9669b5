package org.nashpo.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Design (a) of issue 26 is only usable if JavaCPP's oneDNN 2.5.2 and the oneDNN 2.3.0 libnd4j links in
 * statically live in one process without disturbing each other: both used, one after the other and again, and
 * every result right ({@link OneDnnCoexistence}).
 */
class OneDnnCoexistenceTest {

    private static final double TOLERANCE = 1e-5;

    @Test
    void bothOneDnnsComputeRightInOneProcess() throws IOException {
        OneDnnCoexistence.Result r = OneDnnCoexistence.run();
        assertThat(r.dnnlVersion()).isEqualTo("2.5.2");
        assertThat(r.convolutionBefore()).isLessThanOrEqualTo(TOLERANCE);
        assertThat(r.batchNormY()).isLessThanOrEqualTo(TOLERANCE);
        assertThat(r.batchNormDx()).isLessThanOrEqualTo(TOLERANCE);
        assertThat(r.convolutionAfter()).isLessThanOrEqualTo(TOLERANCE);
        assertThat(r.libraries()).anyMatch(l -> l.endsWith("/libdnnl.so.2")).anyMatch(l -> l.endsWith("/libnd4jcpu.so"));
    }

    /**
     * The same in a child JVM with oneDNN's verbose log: each library announces its own version, libnd4j's runs
     * the convolutions (before and after the other is loaded and used) and JavaCPP's the batch normalization.
     */
    @Test
    void eachLibraryRunsItsOwnPrimitives() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OneDnnCoexistence.class.getName())
                .redirectErrorStream(true);
        pb.environment().put("ONEDNN_VERBOSE", "1");
        pb.environment().put("DNNL_VERBOSE", "1");
        Process p = pb.start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = String.join("\n", lines);
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(lines).as(log).contains(OneDnnCoexistence.DONE);
        List<String> run = lines.subList(lines.indexOf(OneDnnCoexistence.START), lines.indexOf(OneDnnCoexistence.DONE));
        // the two announce themselves with different prefixes: libnd4j's 2.3.0 "dnnl_verbose", JavaCPP's 2.5.2
        // "onednn_verbose"; so each logged primitive names the library that ran it
        assertThat(run).as(log)
                .anyMatch(l -> l.startsWith("dnnl_verbose,info,oneDNN v2.3.0 "))
                .anyMatch(l -> l.startsWith("onednn_verbose,info,oneDNN v2.5.2 "));
        List<String> executed = run.stream().filter(l -> l.contains("_verbose,exec,cpu,convolution,")
                || l.contains("_verbose,exec,cpu,batch_normalization,")).toList();
        assertThat(executed).as(log).hasSize(4);
        assertThat(executed.get(0)).as(log).startsWith("dnnl_verbose,exec,cpu,convolution,");
        assertThat(executed.get(1)).as(log).startsWith("onednn_verbose,exec,cpu,batch_normalization,")
                .contains(",forward_training,");
        assertThat(executed.get(2)).as(log).startsWith("onednn_verbose,exec,cpu,batch_normalization,")
                .contains(",backward,");
        // libnd4j's oneDNN still runs after the other has been loaded and used
        assertThat(executed.get(3)).as(log).startsWith("dnnl_verbose,exec,cpu,convolution,");
        // one OpenMP runtime serves both (libdnnl.so.2 takes the libgomp.so.1 libnd4j loaded), so the thread
        // count ND4J sets applies to oneDNN 2.5.2's primitives too
        assertThat(run.stream().filter(l -> l.startsWith("mapped ") && l.contains("/libgomp"))).as(log).hasSize(1);
    }
}
