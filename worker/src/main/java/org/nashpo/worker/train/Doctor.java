package org.nashpo.worker.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.spec.Planner;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.backend.Devices;
import org.nashpo.worker.engine.KernelProbe;

/**
 * The first command on a new node: which ND4J backend and native build this JVM loaded, the devices
 * it sees, whether oneDNN (CPU) or cuDNN (GPU) kernels really serve the network's ops, the memory
 * limits a run works within, and a short throughput measurement of the benchmark network. Every
 * finding that would make a run slow or fail is listed as a problem.
 */
public final class Doctor {

    /**
     * Memory limits in bytes (-1: none or unknown).
     *
     * @param heapMax the JVM's maximum heap
     * @param offHeapMax JavaCPP's {@code maxbytes}: what ND4J may allocate outside the heap
     * @param physicalMax JavaCPP's {@code maxphysicalbytes}: the process's resident memory past which allocation fails
     * @param machine the machine's physical memory
     * @param container the cgroup's memory limit (a YARN or Kubernetes container), or -1
     */
    public record Memory(long heapMax, long offHeapMax, long physicalMax, long machine, long container) {
    }

    /**
     * @param backend ND4J's backend, helpers and threads
     * @param nativeBuild the native build loaded (its platform and classifier)
     * @param buildFeatures what libnd4j was built with (HAVE_ONEDNN, HAVE_CUDNN, …)
     * @param devices what the runs can train on
     * @param kernels which kernel library served each op of a training step (null: no backend loaded)
     * @param memory the limits a run works within
     * @param throughput the benchmark network's training and inference speed here (null: no backend loaded)
     * @param problems findings that make a run slow or make it fail, empty when none
     */
    public record Report(String backend, String nativeBuild, List<String> buildFeatures, List<Devices.Device> devices,
            KernelProbe.Result kernels, Memory memory, Throughput.Result throughput, List<String> problems) {
    }

    private Doctor() {
    }

    /**
     * Examines this JVM's ND4J — the kernels every network family's layers need included
     * ({@link KernelProbe}) — and measures {@code steps} training steps of the planner's reference cell
     * ({@code 0|00|000}) at {@code width} and {@code batch}.
     */
    public static Report examine(int threads, int width, int batch, int steps) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        boolean cuda;
        try {
            Backend.configure(threads);
            cuda = Backend.isCuda(); // loads ND4J's backend
        } catch (LinkageError | RuntimeException e) {
            // ND4J found no backend it could load (ExceptionInInitializerError, then NoClassDefFoundError)
            String build = Devices.nativeBuild();
            problems.add("ND4J could not load its backend (" + build + "): " + rootMessage(e)
                    + (build.endsWith("-cudnn") ? "; the CUDA build needs the NVIDIA driver (libcuda.so.1), the CUDA "
                            + "11.6 runtime and cuDNN 8.3 on this node (deploy/README.md, \"CUDA\"); the log above names "
                            + "the library that failed to load" : ""));
            Memory memory = new Memory(Runtime.getRuntime().maxMemory(), Pointer.maxBytes(), Pointer.maxPhysicalBytes(),
                    Pointer.totalPhysicalBytes(), containerLimit());
            return new Report("unavailable", build, List.of(), List.of(), null, memory, null, List.copyOf(problems));
        }
        String build = Devices.nativeBuild();
        List<String> features = Devices.buildFeatures();
        String library = cuda ? "HAVE_CUDNN" : "HAVE_ONEDNN";
        if (!features.contains(library)) {
            problems.add("the native build has no " + (cuda ? "cuDNN" : "oneDNN") + " (" + build + "): convolutions "
                    + "run on libnd4j's generic im2col + gemm code, several times slower");
        }
        List<Devices.Device> devices = Devices.list();
        for (Devices.Device d : devices) {
            if (!d.supported()) {
                problems.add(d.name() + ": " + d.note());
            }
        }
        KernelProbe.Result kernels = KernelProbe.run(cuda);
        if (!kernels.missing().isEmpty()) {
            problems.add(kernels.library() + " did not serve: " + String.join(", ", kernels.missing())
                    + " (those ops ran on libnd4j's generic code)");
        }
        Memory memory = new Memory(Runtime.getRuntime().maxMemory(), Pointer.maxBytes(), Pointer.maxPhysicalBytes(),
                Pointer.totalPhysicalBytes(), containerLimit());
        long limit = memory.container() > 0 ? Math.min(memory.container(), memory.machine()) : memory.machine();
        if (memory.physicalMax() > limit) {
            problems.add(String.format(Locale.ROOT, "maxphysicalbytes (%.1f GB) exceeds the memory this process may "
                    + "use (%.1f GB): a run would be killed before ND4J refuses an allocation; bin/nashpo and bin/submit "
                    + "set it from the memory available (deploy/README.md)", memory.physicalMax() / 1e9, limit / 1e9));
        }
        Throughput.Result throughput = Throughput.measure(Planner.REFERENCE_CELL, batch,
                new NetworkShape(width, NetworkShape.BENCHMARK.cellsPerStage(), NetworkShape.BENCHMARK.stages()),
                threads, 2, steps);
        return new Report(Backend.describe(), build, features, devices, kernels, memory, throughput, List.copyOf(problems));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** cgroup v2's memory.max or v1's memory.limit_in_bytes, or -1 without a limit. */
    static long containerLimit() {
        for (String file : List.of("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
            try {
                String v = Files.readString(Path.of(file)).strip();
                if (v.equals("max")) {
                    return -1;
                }
                long bytes = Long.parseLong(v);
                return bytes >= Long.MAX_VALUE / 2 ? -1 : bytes;
            } catch (IOException | NumberFormatException | SecurityException e) {
                // not this cgroup version
            }
        }
        return -1;
    }
}
