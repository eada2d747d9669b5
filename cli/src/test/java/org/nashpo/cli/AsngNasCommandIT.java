package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;
import org.nashpo.core.grid.ConfigIndex;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;
import org.nashpo.worker.nas.AsngNasRun;

/** nashpo asng-nas end to end on the repository's CIFAR-10 subset, rated by a synthetic benchmark. */
class AsngNasCommandIT {

    private static final String MINI = System.getProperty("nashpo.miniData");

    /** A small search; {@code extra} options replace the defaults' values or are added (flags alone too). */
    private static String[] search(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("asng-nas", "--data", MINI, "--epochs", "2",
                "--train-size", "96", "--valid-size", "64", "--batch-size", "32", "--lr", "0.025", "--width", "4",
                "--cells-per-stage", "1", "--seed", "5", "--threads", "1", "--out", out.toString()));
        for (int i = 0; i < extra.length; i++) {
            int at = args.indexOf(extra[i]);
            boolean flag = i + 1 == extra.length || extra[i + 1].startsWith("--");
            if (at >= 0 && !flag) {
                args.set(at + 1, extra[++i]);
            } else {
                args.add(extra[i]);
                if (!flag) {
                    args.add(extra[++i]);
                }
            }
        }
        return args.toArray(String[]::new);
    }

    @Test
    void aSearchPrintsTheFoundCellItsClassAndTheBenchmarksRatingAndWritesItsLog(@TempDir Path dir) throws Exception {
        Path bench = dir.resolve("bench");
        CliRun synth = CliRun.of("synth-bench", "--out", bench.toString(), "--seed", "3");
        assertThat(synth.code()).as(synth.err()).isZero();
        Path out = dir.resolve("search");

        CliRun r = CliRun.of(search(out, "--bench", bench.toString(), "--json"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("epoch 1/2:").contains("epoch 2/2:");
        JsonNode s = r.json();
        CellCode found = SearchSpace.NAS_HPO_BENCH_2.parse(s.get("cellcode").asText());
        CellClass cls = SearchSpace.NAS_HPO_BENCH_2.classOf(found);
        assertThat(s.get("cellClassId").asText()).isEqualTo(cls.id());
        assertThat(s.get("representative").asText()).isEqualTo(cls.representative().toString());
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("epochsDone").asInt()).isEqualTo(2);
        // θ by edge and operation, each edge a distribution over NAS-HPO-Bench-II's four
        assertThat(s.get("theta")).hasSize(6);
        assertThat(s.get("theta").get("e01").fieldNames()).toIterable().containsExactly("conv", "avgpool", "skip", "zero");
        double sum = 0;
        for (JsonNode p : s.get("theta").get("e23")) {
            sum += p.asDouble();
        }
        assertThat(sum).isCloseTo(1, within(1e-9));

        // the rating, recomputed here from the benchmark's query API
        Benchmark b = Benchmark.open(bench);
        JsonNode rating = s.get("bench");
        int mine = ConfigIndex.indexOf(new Configuration(found, 0.025, 32));
        double expected = (b.accuracy(mine, Mode.TEST, 12, 222) + b.accuracy(mine, Mode.TEST, 12, 555)
                + b.accuracy(mine, Mode.TEST, 12, 888)) / 3;
        assertThat(rating.get("testAccuracy12").asDouble()).isCloseTo(expected, within(1e-9));
        assertThat(rating.get("accuracy200").asDouble()).isCloseTo(b.longAccuracy(mine), within(1e-9));
        long better = SearchSpace.NAS_HPO_BENCH_2.classes().stream().filter(c -> {
            int i = ConfigIndex.indexOf(new Configuration(c.representative(), 0.025, 32));
            return b.longAccuracy(i) > b.longAccuracy(mine);
        }).count();
        assertThat(rating.get("rank200").asInt()).isEqualTo(better + 1);
        assertThat(rating.get("rank12").asInt()).isBetween(1, 1011);
        assertThat(rating.get("classes").asInt()).isEqualTo(1011);

        List<String> log = Files.readAllLines(out.resolve(AsngNasRun.LOG_FILE));
        assertThat(log).hasSize(3);
        assertThat(log.get(0)).startsWith("epoch,learning_rate,train_loss,valid_loss,Delta,delta,most_likely,theta_e01_conv");
        assertThat(log.get(2).split(",")[6]).isEqualTo(found.toString());
        JsonNode written = new ObjectMapper().readTree(out.resolve(AsngNasRun.RESULT_FILE).toFile());
        assertThat(written.get("cellcode").asText()).isEqualTo(found.toString());
        // every cell pass (2 trained and 2 rating θ per step) runs its cellcode's engine, built or cached
        int steps = 0;
        for (String row : log.subList(1, log.size())) {
            String[] fields = row.split(",");
            steps += Integer.parseInt(fields[fields.length - 3]);
        }
        assertThat(steps).isPositive();
        assertThat(written.get("enginesBuilt").asLong()).isPositive();
        assertThat(written.get("enginesBuilt").asLong() + written.get("engineCacheHits").asLong()).isEqualTo(4L * steps);
        assertThat(written.get("engineBuildSeconds").asDouble()).isPositive();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("bench", "search");
        }

        // text output: the cell, its class and the rating
        CliRun text = CliRun.of(search(dir.resolve("again")));
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("found " + found).contains("class " + cls.id());
    }

    @Test
    void badInputIsRefusedBeforeSearchingAndWritesNothing(@TempDir Path dir) throws Exception {
        Path taken = Files.createDirectory(dir.resolve("taken"));
        CliRun exists = CliRun.of(search(taken));
        assertThat(exists.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(exists.err()).contains("already exists");

        CliRun offGrid = CliRun.of(search(dir.resolve("a"), "--bench", dir.toString(), "--lr", "0.03"));
        assertThat(offGrid.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(offGrid.err()).contains("--lr/--batch-size with --bench").contains("0.03");

        CliRun noBench = CliRun.of(search(dir.resolve("b"), "--bench", dir.resolve("nowhere").toString()));
        assertThat(noBench.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(noBench.err()).contains("nowhere");

        CliRun badEpochs = CliRun.of(search(dir.resolve("c"), "--epochs", "0"));
        assertThat(badEpochs.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(badEpochs.err()).contains("epochs: must be ≥ 1, was 0");

        CliRun noData = CliRun.of(search(dir.resolve("d"), "--data", dir.resolve("nodata").toString()));
        assertThat(noData.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(noData.err()).contains("nodata");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("taken");
        }
    }
}
