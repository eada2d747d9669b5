package org.nashpo.worker.nas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nashpo.core.space.NetworkShape;
import org.nashpo.worker.data.Cifar10Directory;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.data.TestData;
import org.nashpo.worker.nn.Backend;
import org.nashpo.worker.supernet.Supernet;
import org.nashpo.worker.train.CifarTraining;

/** A real search on the repository's CIFAR-10 subset: supernet, data, ASNG and log together. */
class AsngNasIT {

    @Test
    void aShortSearchOnRealImagesRunsEndToEnd() {
        NetworkShape shape = new NetworkShape(4, 1, 3);
        Cifar10Directory dir = CifarTraining.open(TestData.miniDirectory().toString());
        CifarTraining.Loaded loaded = CifarTraining.load(dir, new Subset(192, 160, 1), shape);
        Backend.configure(1);
        Supernet supernet = Supernet.create(shape, Supernet.Sgd.ASNG_NAS, 32, 222);
        List<AsngNas.EpochLog> seen = new ArrayList<>();
        AsngNas.Result r = AsngNas.search(supernet, loaded.data().train(), loaded.data().valid(),
                new AsngNas.Settings(3, 32, 0.025, 222), seen::add);

        assertThat(r.completed()).as(r.stopReason()).isTrue();
        assertThat(r.epochs()).hasSize(3).isEqualTo(seen);
        // 160 valid images in batches of 32 bound the steps: 5 per epoch, each θ update from 2 samples
        assertThat(r.epochs()).allSatisfy(e -> {
            assertThat(e.steps()).isEqualTo(5);
            assertThat(e.trainLoss()).isBetween(0.5, 10.0);
            assertThat(e.validLoss()).isBetween(0.5, 10.0);
        });
        AsngNas.EpochLog last = r.epochs().get(2);
        assertThat(r.cell()).isEqualTo(last.mostLikely());
        assertThat(r.epochs().stream().mapToInt(AsngNas.EpochLog::thetaUpdates).sum()).isPositive();
        // θ moved off uniform and Δ adapted
        assertThat(last.theta()).anySatisfy(p -> assertThat(Math.abs(p - 0.25)).isGreaterThan(0.01));
        assertThat(last.bigDelta()).isNotEqualTo(1.0);
        // 15 steps × 4 cells = 60 graph uses
        Supernet.Stats stats = supernet.stats();
        System.err.printf("search of 3 epochs: %.1f s, found %s; %s%n", r.seconds(), r.cell(), stats);
        assertThat(stats.graphsBuilt() + stats.cacheHits()).isEqualTo(60);
        assertThat(SearchLog.csv(r.epochs()).lines()).hasSize(4);
    }
}
