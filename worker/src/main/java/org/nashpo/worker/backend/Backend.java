package org.nashpo.worker.backend;

import java.util.List;
import java.util.Properties;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Sets up ND4J for training before the first network is built, and describes it for provenance.
 *
 * <p>The engine's ops reach oneDNN (CPU) and cuDNN (GPU) through libnd4j's platform helpers, which
 * are on unless ND4J's environment disables them. The thread count bounds ND4J's own thread pool, so
 * several runs side by side (one per core, as the construct job schedules them) do not
 * oversubscribe the machine.
 */
public final class Backend {

    private Backend() {
    }

    /**
     * Bounds ND4J's threads ({@code threads ≤ 0}: leave ND4J's default, one per core).
     */
    public static void configure(int threads) {
        if (threads > 0) {
            Environment env = Nd4j.getEnvironment();
            env.setMaxThreads(threads);
            env.setMaxMasterThreads(threads);
            // OpenMP's thread count (which oneDNN and libnd4j's loops use) is per calling thread:
            // this bounds the runs started from this thread only, so concurrent tasks each get theirs.
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
        }
    }

    /**
     * Binds the calling thread to the device Spark assigned to its task and names it for
     * provenance: {@code cuda:<address>} on the CUDA backend, {@code cpu} otherwise (a GPU address
     * given to a CPU build is ignored, and the record says cpu — the truth).
     *
     * @param gpuAddress the address from the task's resources, or null for none
     */
    public static String bindDevice(String gpuAddress) {
        if (gpuAddress == null || !isCuda()) {
            return "cpu";
        }
        int device;
        try {
            device = Integer.parseInt(gpuAddress.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GPU address \"" + gpuAddress + "\": expected a device index such as 0 "
                    + "(what a GPU discovery script reports)", e);
        }
        int devices = Nd4j.getAffinityManager().getNumberOfDevices();
        if (device < 0 || device >= devices) {
            throw new IllegalArgumentException("GPU address " + device + " is not a device of this host (it has "
                    + devices + ")");
        }
        Devices.Device gpu = Devices.list().get(device);
        if (!gpu.supported()) {
            throw new IllegalStateException(gpu.note());
        }
        Nd4j.getAffinityManager().unsafeSetDevice(device);
        return "cuda:" + device;
    }

    /** The model of the device a run trains on ({@code cpu} or {@code cuda:<index>}), for provenance. */
    public static String deviceName(String device) {
        if (device.startsWith("cuda:")) {
            int index = Integer.parseInt(device.substring("cuda:".length()));
            List<Devices.Device> gpus = Devices.list();
            return index < gpus.size() ? gpus.get(index).name() : null;
        }
        return Devices.cpu().name();
    }

    public static boolean isCuda() {
        return "CUDA".equalsIgnoreCase(String.valueOf(
                Nd4j.getExecutioner().getEnvironmentInformation().getOrDefault("backend", "")));
    }

    /** E.g. {@code CPU nd4j-native (oneDNN on, 2 threads)}. */
    public static String describe() {
        Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
        String backend = String.valueOf(info.getOrDefault("backend", "unknown"));
        return backend + " " + Nd4j.getBackend().getClass().getSimpleName()
                + " (oneDNN " + (usesOneDnn() ? "on" : "off") + ", helpers "
                + (Nd4j.getEnvironment().helpersAllowed() ? "on" : "off")
                + ", " + Nd4j.getEnvironment().maxMasterThreads() + " threads)";
    }

    /**
     * Whether libnd4j runs its oneDNN kernels: what the CPU build's native environment says (read
     * reflectively, since a CUDA build has no CPU bindings); false on CUDA or a build without oneDNN.
     */
    private static boolean usesOneDnn() {
        try {
            Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
            Object instance = env.getMethod("getInstance").invoke(null);
            return (boolean) env.getMethod("isUseONEDNN").invoke(instance);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
