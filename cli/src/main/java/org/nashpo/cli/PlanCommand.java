package org.nashpo.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.spec.BenchmarkSpec;
import org.nashpo.core.spec.CostModel;
import org.nashpo.core.spec.Planner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Predict what a spec costs on N GPUs: GPU-hours, and the makespan of construct's longest-first "
                + "order against the lower bound and against an array job that runs the grid in spec order.",
                "Reads only the spec (not its data or output); data sizes the spec leaves out count as the full split "
                + "(25,000 / 25,000 / 10,000)."})
final class PlanCommand implements Callable<Integer> {

    /** Training images per second of 0|00|000 at batch 256 assumed when none is given: a V100-class GPU. */
    static final double DEFAULT_IMAGES_PER_SECOND = 4000;

    @Option(names = "--spec", required = true, description = "The spec to plan.")
    private String specFile;

    @Option(names = "--gpus", required = true, description = "GPUs (one run on each at a time).")
    private int gpus;

    @Option(names = "--images-per-second", defaultValue = "" + DEFAULT_IMAGES_PER_SECOND,
            description = "Training images/s of one GPU on the benchmark network with cell 0|00|000 at batch 256 on "
                    + "CIFAR's 32×32 images, as `nashpo perf-train --batch-size 256` measures it there (default: "
                    + "${DEFAULT-VALUE}, an assumed V100-class figure); a spec on ImageNet16's 16×16 images is priced "
                    + "at a quarter of the work per image.")
    private double imagesPerSecond;

    @Option(names = "--relative-to", description = "A spec already built: also report the extension, the runs of --spec "
            + "that this one lacks, and their cost relative to it.")
    private String baseSpecFile;

    @Mixin
    private JsonOutput output;

    @Spec
    private CommandSpec spec;

    /**
     * @param extension the runs of the spec that the base spec lacks, or null without {@code --relative-to}
     * @param extensionRelativeToBase the extension's GPU-hours over the base spec's
     */
    record Plan(String spec, int gpus, double imagesPerSecond, double gpuHours, Planner.Makespan makespan,
            Planner.Makespan extension, Double extensionRelativeToBase) {
    }

    @Override
    public Integer call() {
        if (gpus < 1) {
            throw new IllegalArgumentException("--gpus: must be ≥ 1, was " + gpus);
        }
        if (!(imagesPerSecond > 0) || Double.isInfinite(imagesPerSecond)) {
            throw new IllegalArgumentException("--images-per-second: must be a number > 0, was " + imagesPerSecond);
        }
        BenchmarkSpec benchmark = SpecPlanning.read(specFile);
        TrainingProtocol protocol = protocol(benchmark);
        CostModel cost = Planner.scaleFor(CostModel.UNCALIBRATED, imagesPerSecond, protocol);
        List<RunKey> keys = benchmark.expand(protocol);
        Planner.Makespan all = Planner.makespan(keys, cost, protocol, gpus);
        Planner.Makespan extension = null;
        Double relative = null;
        if (baseSpecFile != null) {
            BenchmarkSpec base = SpecPlanning.read(baseSpecFile);
            TrainingProtocol baseProtocol = protocol(base);
            if (!baseProtocol.id().equals(protocol.id())) {
                throw new IllegalArgumentException("--relative-to " + baseSpecFile + ": its network or data sizes differ "
                        + "from " + specFile + "'s, so none of its runs count for it");
            }
            // by id: a run's key names its cell by the operations it uses, so an extended space keeps the base's keys
            List<RunKey> baseKeys = base.expand(baseProtocol);
            Set<String> built = new HashSet<>();
            baseKeys.forEach(k -> built.add(k.id()));
            List<RunKey> added = new ArrayList<>();
            keys.stream().filter(k -> !built.contains(k.id())).forEach(added::add);
            extension = Planner.makespan(added, cost, protocol, gpus);
            double baseSeconds = Planner.makespan(baseKeys, cost, protocol, gpus).totalSeconds();
            relative = baseSeconds > 0 ? extension.totalSeconds() / baseSeconds : null;
        }
        Plan plan = new Plan(specFile, gpus, imagesPerSecond, all.totalSeconds() / 3600, all, extension, relative);
        List<String> text = new ArrayList<>();
        text.add(String.format("%s: %,d runs, %,.0f GPU-hours at %,.0f images/s", specFile, all.runs(),
                all.totalSeconds() / 3600, imagesPerSecond));
        describe(text, "", all);
        if (extension != null) {
            text.add(String.format("extension over %s: %,d runs, %,.1f GPU-hours = %.1f %% of what it built", baseSpecFile,
                    extension.runs(), extension.totalSeconds() / 3600, relative == null ? Double.NaN : 100 * relative));
            describe(text, "  ", extension);
        }
        return output.emit(spec.commandLine().getOut(), plan, text);
    }

    private static void describe(List<String> text, String indent, Planner.Makespan m) {
        text.add(String.format("%son %d GPUs: lower bound %s; longest first (construct) %s (+%.2f %%); spec order, next "
                + "free GPU %s (+%.2f %%); spec order, fixed shares (array job) %s (+%.2f %%)", indent, m.gpus(),
                hours(m.lowerBound()), hours(m.longestFirst()), over(m.longestFirst(), m), hours(m.unorderedGreedy()),
                over(m.unorderedGreedy(), m), hours(m.unorderedStatic()), over(m.unorderedStatic(), m)));
    }

    private static String hours(double seconds) {
        return String.format("%,.1f h", seconds / 3600);
    }

    private static double over(double makespan, Planner.Makespan m) {
        return m.lowerBound() > 0 ? 100 * (makespan / m.lowerBound() - 1) : 0;
    }

    private static TrainingProtocol protocol(BenchmarkSpec spec) {
        return spec.protocolOnFullData(Map.of());
    }
}
