package org.nashpo.worker.supernet;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.engine.CellEngine;
import org.nashpo.worker.nas.Batch;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Measures what a supernet step costs against the standalone network's own step, on one ND4J thread,
 * in CPU time of the calling thread (robust on a shared machine) and wall time. Not a test: run it
 * from the test class path (docs/ASNG-NAS.md says how) with {@code width cellsPerStage batch steps}.
 */
public final class SupernetStepCost {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SupernetStepCost() {
    }

    public static void main(String[] args) {
        NetworkShape shape = new NetworkShape(Integer.parseInt(args[0]), Integer.parseInt(args[1]), 3);
        int n = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        Backend.configure(1);
        System.out.println(Backend.describe() + ", " + shape + ", batch " + n + ", " + steps + " steps per figure");
        Batch batch = new Batch(n);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < batch.featureBuffer().length; i++) {
            batch.featureBuffer()[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            batch.labelBuffer()[i] = r.nextInt(10);
        }
        batch.setSize(n);
        CellCode cell = SearchSpace.NAS_HPO_BENCH_2.parse("0|10|210");

        try (CellEngine alone = new CellEngine(cell, shape, DataType.FLOAT, n)) {
            alone.initialise(1);
            alone.input(n, batch.features());
            report("standalone 0|10|210 engine, step", steps, () -> {
                alone.forwardBackward(n, batch.labels());
                alone.step(0.025, 0.9, 3e-4);
            });
        }

        Supernet net = Supernet.create(shape, Supernet.Sgd.ASNG_NAS, 4096, 1);
        report("supernet 0|10|210, engine cached", steps, () -> net.trainStep(List.of(cell), batch, 0.025));
        CellCode allConv = SearchSpace.NAS_HPO_BENCH_2.parse("0|00|000");
        report("supernet 0|00|000 (every weight), engine cached", steps,
                () -> net.trainStep(List.of(allConv), batch, 0.025));

        List<CellCode> uniform = new ArrayList<>();
        for (int i = 0; i < 2 * steps; i++) {
            uniform.add(SearchSpace.NAS_HPO_BENCH_2.cell(r.nextInt(SearchSpace.NAS_HPO_BENCH_2.size())));
        }
        int[] at = {0};
        Supernet.Stats before = net.stats();
        report("supernet λ=2 uniform cells, first use (engines built)", steps,
                () -> net.trainStep(List.of(uniform.get(at[0]++ % uniform.size()), uniform.get(at[0]++ % uniform.size())),
                        batch, 0.025));
        Supernet.Stats after = net.stats();
        System.out.printf(Locale.ROOT, "  %d engines built in %.3f s wall: %.1f ms each%n",
                after.enginesBuilt() - before.enginesBuilt(), after.engineBuildSeconds() - before.engineBuildSeconds(),
                1000 * (after.engineBuildSeconds() - before.engineBuildSeconds())
                        / (after.enginesBuilt() - before.enginesBuilt()));
        at[0] = 0;
        report("supernet λ=2 same uniform cells, cached", steps,
                () -> net.trainStep(List.of(uniform.get(at[0]++ % uniform.size()), uniform.get(at[0]++ % uniform.size())),
                        batch, 0.025));
        at[0] = 0;
        report("supernet valid loss of 1 uniform cell, cached", steps, () -> net.loss(uniform.get(at[0]++), batch));
    }

    private static void report(String what, int steps, Runnable step) {
        step.run();
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step.run();
        }
        System.out.printf(Locale.ROOT, "%-55s %8.1f ms CPU  %8.1f ms wall per step%n", what,
                (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6 / steps, (System.nanoTime() - wall) / 1e6 / steps);
    }
}
