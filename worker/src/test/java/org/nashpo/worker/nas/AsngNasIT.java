package org.nashpo.worker.nas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.network.NetworkCost;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.worker.backend.Backend;
import org.nashpo.worker.data.CifarDirectory;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.data.TestData;
import org.nashpo.worker.supernet.Supernet;
import org.nashpo.worker.train.TrainingSets;

/** A real search on the repository's CIFAR-10 subset: supernet, data, ASNG and log together. */
class AsngNasIT {

    @Test
    void aShortSearchOnRealImagesRunsEndToEnd() {
        NetworkShape shape = new NetworkShape(4, 1, 3);
        CifarDirectory dir = TrainingSets.open(TestData.miniDirectory().toString());
        TrainingSets.Loaded loaded = TrainingSets.load(dir, new Subset(192, 160, 1), shape);
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
        // 15 steps × 4 cells = 60 uses of a cellcode's engine
        Supernet.Stats stats = supernet.stats();
        System.err.printf("search of 3 epochs: %.1f s, found %s; %s%n", r.seconds(), r.cell(), stats);
        assertThat(stats.enginesBuilt() + stats.cacheHits()).isEqualTo(60);
        assertThat(SearchLog.csv(supernet.space(), r.epochs()).lines()).hasSize(4);
    }

    /** A search of NAS-Bench-201's space in its network, published: the log and result name the operations. */
    @Test
    void aSearchOfNasBench201sSpaceNamesItsOperationsInLogAndResult(@TempDir Path dir) throws Exception {
        SearchSpace space = SearchSpace.NAS_BENCH_201;
        Path out = dir.resolve("search");
        AsngNasRun.Request request = new AsngNasRun.Request(TestData.miniDirectory().toString(),
                new AsngNas.Settings(1, 32, 0.025, 555), 64, 64, space,
                new NetworkShape(4, 1, 3, NetworkFamily.NAS_BENCH_201), 1, out.toUri());
        StringWriter progress = new StringWriter();
        AsngNasRun.Summary s = AsngNasRun.run(request, null, new PrintWriter(progress));

        assertThat(s.status()).as(s.stopReason()).isEqualTo("COMPLETED");
        assertThat(s.operations()).containsExactly("zero", "skip", "conv1x1", "conv3x3", "avgpool3x3");
        assertThat(s.family()).isEqualTo("nas-bench-201");
        CellCode found = space.parse(s.cellcode());
        assertThat(s.cellClassId()).isEqualTo(space.classOf(found).id());
        assertThat(s.theta()).containsOnlyKeys("e01", "e02", "e12", "e03", "e13", "e23")
                .allSatisfy((edge, p) -> assertThat(p).containsOnlyKeys(space.operationNames()));
        // the union of both convolutions' weights on every edge
        NetworkShape shape = request.shape();
        assertThat(s.supernetParameters()).isEqualTo(NetworkCost.of(space.parse("3|33|333"), shape).parameters()
                + NetworkCost.of(space.parse("2|22|222"), shape).parameters()
                - NetworkCost.of(space.parse("0|00|000"), shape).parameters());
        assertThat(progress.toString()).contains("operations zero, skip, conv1x1, conv3x3, avgpool3x3");

        List<String> log = Files.readAllLines(out.resolve(AsngNasRun.LOG_FILE));
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).contains(",most_likely,theta_e01_zero,theta_e01_skip,theta_e01_conv1x1,"
                + "theta_e01_conv3x3,theta_e01_avgpool3x3,theta_e02_zero,").endsWith(",steps,theta_updates,seconds");
        assertThat(log.get(1).split(",")).hasSize(7 + 30 + 3);
        JsonNode written = new ObjectMapper().readTree(out.resolve(AsngNasRun.RESULT_FILE).toFile());
        assertThat(written.get("cellcode").asText()).isEqualTo(s.cellcode());
        assertThat(written.get("family").asText()).isEqualTo("nas-bench-201");
        assertThat(written.get("theta").get("e12").get("avgpool3x3").asDouble())
                .isEqualTo(s.theta().get("e12").get("avgpool3x3"));
    }
}
