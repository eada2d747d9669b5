package org.nashpo.worker.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What this JVM's ND4J runs on: the native build it loaded, what that build was compiled with, and
 * the devices (the CPU, or the GPUs the CUDA build sees) with whether the build can run on each.
 */
public final class Devices {

    /**
     * The GPU architectures (compute capabilities) whose machine code (cubin) the CUDA build
     * {@code nd4j-cuda-11.6:1.0.0-M2.1:linux-x86_64-cudnn} carries in {@code libnd4jcuda.so}, read
     * from the library's {@code .nv_fatbin} section (239 fatbins, each with these nine cubins and no
     * PTX; deploy/README.md, "GPU architectures"). A cubin runs on GPUs of its major version and the
     * same or a higher minor version; without PTX nothing can be JIT-compiled for a newer major version.
     */
    public static final List<String> CUDA_CUBINS = List.of("3.7", "5.0", "5.2", "6.0", "6.1", "7.0", "7.5", "8.0",
            "8.6");
    /** The architectures whose PTX the library carries (JIT-compiled for newer GPUs): none. */
    public static final List<String> CUDA_PTX = List.of();

    /**
     * One device.
     *
     * @param kind cpu or cuda
     * @param index the device index (0 for the CPU)
     * @param name the CPU model or the GPU's name
     * @param memoryBytes the device's memory (the machine's for the CPU)
     * @param capability the GPU's compute capability (major.minor), or the CPU's vector extensions
     * @param supported whether the loaded native build runs on it
     * @param note why not, or what would fit it better; empty when nothing
     */
    public record Device(String kind, int index, String name, long memoryBytes, String capability, boolean supported,
            String note) {
    }

    private Devices() {
    }

    /** The devices the loaded backend trains on: the GPUs of a CUDA build, else the CPU. */
    public static List<Device> list() {
        if (Backend.isCuda()) {
            return gpus();
        }
        return List.of(cpu());
    }

    /** The native build's platform directory, e.g. {@code linux-x86_64-onednn-avx2} or {@code linux-x86_64-cudnn}. */
    public static String nativeBuild() {
        String platform = System.getProperty("org.bytedeco.javacpp.platform", "linux-x86_64");
        ClassLoader loader = Devices.class.getClassLoader();
        for (String dir : List.of("org/nd4j/linalg/jcublas/bindings/", "org/nd4j/linalg/cpu/nativecpu/bindings/")) {
            for (String extension : List.of("-cudnn", "-onednn-avx512", "-onednn-avx2", "-onednn", "-avx512", "-avx2",
                    "")) {
                if (loader.getResource(dir + platform + extension + "/") != null) {
                    return platform + extension;
                }
            }
        }
        return platform + " (no native build found on the class path)";
    }

    /** What libnd4j was built with, from its build information (e.g. HAVE_ONEDNN, HAVE_CUDNN). */
    public static List<String> buildFeatures() {
        String info = Nd4j.getBackend().buildInfo();
        List<String> features = new ArrayList<>();
        for (String token : info.split("[\\s,;]+")) {
            if (token.startsWith("HAVE_") && !features.contains(token)) {
                features.add(token);
            }
        }
        return features;
    }

    /** The CPU ("model (N cores)"), and whether the native build's vector extensions are among its own. */
    public static Device cpu() {
        String model = System.getProperty("os.arch");
        List<String> flags = List.of();
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && model.equals(System.getProperty("os.arch"))) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                } else if (line.startsWith("flags") && flags.isEmpty()) {
                    flags = Arrays.asList(line.substring(line.indexOf(':') + 1).strip().split("\\s+"));
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux: nothing more to say about the CPU
        }
        String extensions = flags.contains("avx512f") ? "avx512" : flags.contains("avx2") ? "avx2" : "no avx2";
        String build = nativeBuild();
        boolean needs512 = build.endsWith("-avx512");
        boolean needs2 = build.endsWith("-avx2") || needs512;
        boolean supported = flags.isEmpty() || (!needs512 || flags.contains("avx512f")) && (!needs2 || flags.contains("avx2"));
        String note = "";
        if (!supported) {
            note = "the native build " + build + " needs " + (needs512 ? "AVX-512" : "AVX2") + ", which this CPU lacks: "
                    + "build with -Dnd4j.classifier=linux-x86_64-onednn-avx2 (or -onednn)";
        } else if (extensions.equals("avx512") && !needs512) {
            note = "this CPU has AVX-512; -Dnd4j.classifier=linux-x86_64-onednn-avx512 builds for it (deploy/README.md)";
        }
        return new Device("cpu", 0, model + " (" + cores + " cores)", Pointer.totalPhysicalBytes(), extensions,
                supported, note);
    }

    @SuppressWarnings("unchecked")
    private static List<Device> gpus() {
        Object info = Nd4j.getExecutioner().getEnvironmentInformation().get(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY);
        List<Device> devices = new ArrayList<>();
        if (!(info instanceof List<?> list)) {
            return devices;
        }
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> d = (Map<String, Object>) list.get(i);
            String capability = d.get(Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY) + "."
                    + d.get(Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY);
            String name = String.valueOf(d.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY));
            boolean supported = supportsGpu(capability);
            devices.add(new Device("cuda", i, name, ((Number) d.get(Nd4jEnvironment.CUDA_TOTAL_MEMORY_KEY)).longValue(),
                    capability, supported, supported ? "" : unsupported(name, capability)));
        }
        return devices;
    }

    /**
     * Whether the CUDA build runs on a GPU of this compute capability ({@code major.minor}): a cubin
     * of the same major and a lower or equal minor version, or PTX of an older architecture to JIT.
     */
    public static boolean supportsGpu(String capability) {
        int[] gpu = version(capability);
        for (String cubin : CUDA_CUBINS) {
            int[] c = version(cubin);
            if (c[0] == gpu[0] && c[1] <= gpu[1]) {
                return true;
            }
        }
        return CUDA_PTX.stream().map(Devices::version).anyMatch(p -> p[0] < gpu[0] || p[0] == gpu[0] && p[1] <= gpu[1]);
    }

    private static int[] version(String capability) {
        String[] parts = capability.strip().split("\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException("compute capability \"" + capability + "\": expected major.minor, e.g. 8.6");
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    /** Why a GPU cannot train here: its name, its architecture and the architectures the build has. */
    public static String unsupported(String name, String capability) {
        return String.format(Locale.ROOT, "GPU \"%s\" (compute capability %s) is not one the CUDA build of ND4J "
                + "1.0.0-M2.1 runs on: its libnd4jcuda carries machine code for %s%s", name, capability,
                String.join(", ", CUDA_CUBINS), CUDA_PTX.isEmpty() ? " and no PTX" : " and PTX for " + String.join(", ",
                        CUDA_PTX));
    }
}
