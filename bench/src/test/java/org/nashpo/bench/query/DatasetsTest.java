package org.nashpo.bench.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.bench.format.BenchmarkGrid;
import org.nashpo.bench.synth.SyntheticBenchmark;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.grid.Configuration;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.SearchSpace;

/**
 * One directory may hold the benchmarks of several data sets, each in the subdirectory named by its data set, and
 * {@link Benchmark#open(Path, String)} opens one by name as NAS-Bench-201's API is asked for one; a benchmark of one
 * data set opens by name too, and every benchmark written before data sets is CIFAR-10's.
 */
class DatasetsTest {

    @TempDir
    Path dir;

    /** A small synthetic benchmark of NAS-Bench-201's space on a data set: 3 classes, 2 lrs, 1 batch size, 1 seed. */
    private static void write(Path target, Dataset dataset) {
        SearchSpace space = SearchSpace.NAS_BENCH_201;
        List<CellClass> classes = space.classes().subList(0, 3);
        var grid = new BenchmarkGrid(space, NetworkFamily.NAS_BENCH_201, 2, 0, List.of(0.05, 0.1), List.of(64),
                List.of(222));
        SyntheticBenchmark.write(target, 1, new SyntheticBenchmark.Design(grid,
                new NetworkShape(4, 1, 3, NetworkFamily.NAS_BENCH_201, dataset), classes, Map.of(),
                DataSplit.NAS_BENCH_201));
    }

    @Test
    void aDirectoryOfDataSetsOpensEachByName() throws IOException {
        for (Dataset d : Dataset.values()) {
            write(dir.resolve(d.specName()), d);
        }
        assertThat(Benchmark.datasets(dir)).containsExactly("cifar10", "cifar100", "imagenet16-120");

        Benchmark in16 = Benchmark.open(dir, "imagenet16-120");
        assertThat(in16.dataset()).isEqualTo(Dataset.IMAGENET16_120);
        assertThat(in16.split()).isEqualTo(DataSplit.NAS_BENCH_201);
        assertThat(in16.directory()).isEqualTo(dir.resolve("imagenet16-120"));
        assertThat(Files.readString(dir.resolve("imagenet16-120/manifest.json")))
                .contains("\"dataset\" : \"imagenet16-120\"", "\"split\" : \"nas-bench-201\"");
        assertThat(Benchmark.open(dir, "cifar100").dataset()).isEqualTo(Dataset.CIFAR100);
        Benchmark cifar10 = Benchmark.open(dir, "cifar10");
        assertThat(cifar10.dataset()).isEqualTo(Dataset.CIFAR10);
        assertThat(cifar10.split()).isEqualTo(DataSplit.NAS_BENCH_201);
        // the same cell's parameters follow the data set's classes
        int config = in16.indexOf(new Configuration(in16.space().classes().get(0).representative(), 0.05, 64));
        // the head: 16 features (width 4, three stages) to each class, and its bias
        assertThat(in16.parameters(config) - cifar10.parameters(config)).isEqualTo(17 * (120 - 10));

        assertThatThrownBy(() -> Benchmark.open(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds the benchmarks of the data sets [cifar10, cifar100, imagenet16-120] in "
                        + "subdirectories: open one by name");
        assertThatThrownBy(() -> Benchmark.open(dir, "ImageNet16-120"))
                .hasMessage("dataset \"ImageNet16-120\": unknown; expected one of cifar10, cifar100, imagenet16-120");
    }

    @Test
    void aBenchmarkOfOneDataSetOpensByItsNameOnly() {
        write(dir, Dataset.CIFAR100);
        assertThat(Benchmark.datasets(dir)).containsExactly("cifar100");
        assertThat(Benchmark.open(dir, "cifar100").dataset()).isEqualTo(Dataset.CIFAR100);
        assertThat(Benchmark.open(dir).dataset()).isEqualTo(Dataset.CIFAR100);
        assertThatThrownBy(() -> Benchmark.open(dir, "cifar10"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("benchmark directory " + dir + " holds cifar100, not cifar10");
    }

    @Test
    void aDataSetTheDirectoryLacksIsNamedWithThoseItHolds() {
        write(dir.resolve("cifar100"), Dataset.CIFAR100);
        assertThatThrownBy(() -> Benchmark.open(dir, "imagenet16-120"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("benchmark directory " + dir + " holds no benchmark of imagenet16-120; it holds cifar100");
    }

    @Test
    void aBenchmarkWrittenBeforeDataSetsIsCifar10s() {
        Path bench = org.nashpo.bench.SyntheticFixture.shared();
        Benchmark opened = Benchmark.open(bench, "cifar10");
        assertThat(opened.dataset()).isEqualTo(Dataset.CIFAR10);
        assertThat(opened.split()).isEqualTo(DataSplit.NAS_HPO_BENCH_2);
    }
}
