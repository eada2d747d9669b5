package org.nashpo.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.nashpo.worker.backend.Devices;
import org.nashpo.worker.train.Doctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check this node before it trains: the ND4J backend and native build, the devices, whether "
                + "oneDNN's kernels serve the network's convolutions and poolings on the CPU (where BatchNorm runs on "
                + "the engine's own kernel), cuDNN's its convolutions, BatchNorms and poolings on a GPU, the heap and "
                + "off-heap memory limits, and a short throughput measurement of the benchmark network. Exits 1 when "
                + "it finds a problem.")
final class DoctorCommand implements Callable<Integer> {

    @Option(names = "--threads", defaultValue = "0", description = "ND4J threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--width", defaultValue = "16", description = "Width of the measured network (default: ${DEFAULT-VALUE}).")
    private int width;

    @Option(names = "--batch-size", defaultValue = "64", description = "Batch of the measurement (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--steps", defaultValue = "20", description = "Timed training steps (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Doctor.Report r = Doctor.examine(threads, width, batchSize, steps);
        var out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, r);
        } else {
            out.printf("backend      %s%n", r.backend());
            out.printf("native build %s (%s)%n", r.nativeBuild(), String.join(", ", r.buildFeatures()));
            for (Devices.Device d : r.devices()) {
                out.printf(Locale.ROOT, "device       %s:%d %s, %.1f GB, %s%s%n", d.kind(), d.index(), d.name(),
                        d.memoryBytes() / 1e9, d.capability(), d.note().isEmpty() ? "" : " — " + d.note());
            }
            if (r.kernels() == null) {
                r.problems().forEach(p -> out.println("PROBLEM      " + p));
                return Main.EXIT_FAILED;
            }
            r.kernels().executed().forEach((op, seen) -> out.printf("kernels      %-66s %s%n", op,
                    seen ? r.kernels().library() : "NOT " + r.kernels().library() + " (generic code)"));
            Doctor.Memory m = r.memory();
            out.printf(Locale.ROOT, "memory       heap ≤ %.1f GB, off-heap ≤ %.1f GB, process ≤ %.1f GB; machine %.1f GB%s%n",
                    m.heapMax() / 1e9, m.offHeapMax() / 1e9, m.physicalMax() / 1e9, m.machine() / 1e9,
                    m.container() > 0 ? String.format(Locale.ROOT, ", container %.1f GB", m.container() / 1e9) : "");
            out.printf(Locale.ROOT, "throughput   0|00|000 width %d batch %d: training %.1f, inference %.1f images/s; "
                    + "peak RSS %.2f GB%n", r.throughput().network().width(), r.throughput().batchSize(),
                    r.throughput().trainImagesPerSecond(), r.throughput().inferImagesPerSecond(),
                    r.throughput().peakRssBytes() / 1e9);
            if (r.problems().isEmpty()) {
                out.println("no problems found");
            }
            r.problems().forEach(p -> out.println("PROBLEM      " + p));
        }
        return r.problems().isEmpty() ? Main.EXIT_OK : Main.EXIT_FAILED;
    }
}
