package org.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.bench.experiment.AlgorithmSummary;
import org.nashpo.bench.experiment.Optimize;
import org.nashpo.bench.optim.Domain;
import org.nashpo.bench.optim.OptimizerProvider;
import org.nashpo.bench.query.Benchmark;
import org.nashpo.bench.query.Mode;
import org.nashpo.core.grid.Configuration;

/** The example as its user runs it: a synthetic benchmark built and queried, then the optimizers compared. */
class ExampleTest {

    @TempDir
    static Path dir;
    private static Path bench;
    private static List<String> queried;

    @BeforeAll
    static void buildAndQuery() {
        bench = dir.resolve("synth");
        queried = QueryExample.run(bench);
        queried.forEach(System.out::println);
    }

    @Test
    void theBenchmarkIsBuiltAndAnswersAsTheQueryApiReadsIt() {
        Benchmark b = Benchmark.open(bench);
        assertThat(b.configurationCount()).isEqualTo(196_608);
        int index = b.indexOf(new Configuration(b.cell("0|10|210"), 0.1, 64));
        double valid = b.accuracy(index, Mode.VALID, b.shortEpochs(), 222);
        assertThat(valid).isBetween(10.0, 100.0);
        assertThat(queried).hasSize(5);
        assertThat(queried.get(1)).contains(String.format(Locale.ROOT, "%.2f %%", valid));
        assertThat(queried.get(4)).startsWith("session: 2 queries");
        // run again, it reuses what it wrote
        assertThat(QueryExample.run(bench)).isEqualTo(queried);
    }

    @Test
    void theOwnOptimizerIsComparedWithTheBuiltInOnesInOneReport() throws Exception {
        Path out = dir.resolve("report");
        Optimize.Result result = CompareExample.run(bench, out, 12);
        result.text().forEach(System.out::println);

        assertThat(result.algorithms()).extracting(AlgorithmSummary::algorithm)
                .containsExactly("rs", "rea", "bohb", "asng", "mutate-best");
        AlgorithmSummary own = result.algorithms().get(4);
        assertThat(own.runs()).isEqualTo(12);
        assertThat(own.noResult()).isZero();
        assertThat(own.finalRank()).isBetween(1.0, 5.0);
        assertThat(own.algorithm().equals(result.best()) ? Double.isNaN(own.wilcoxonP()) : own.wilcoxonP() > 0)
                .isTrue();
        assertThat(Files.readAllLines(out.resolve("summary.csv")))
                .anySatisfy(line -> assertThat(line).startsWith("mutate-best,12,0,"));
        assertThat(Files.readString(out.resolve("report.html"))).contains("mutate-best");
    }

    @Test
    void theJarNamesItsProviderForTheCommandLine() {
        List<OptimizerProvider> found = OptimizerProvider.load(getClass().getClassLoader());
        assertThat(found).singleElement().isInstanceOf(MutateBestProvider.class);
        assertThat(found.get(0).label()).isEqualTo("mutate-best");
    }

    @Test
    void mutantsDifferFromTheBestInOneFreeVariable() {
        Domain joint = Domain.joint(Benchmark.open(bench).space());
        MutateBest optimizer = new MutateBest(new SplittableRandom(1), joint);
        int first = optimizer.ask();
        optimizer.tell(first, 50);
        int same = 0;
        for (int i = 0; i < 200; i++) {
            int next = optimizer.ask();
            int differing = 0;
            for (int j = 0; j < joint.variables(); j++) {
                differing += joint.get(next, j) != joint.get(first, j) ? 1 : 0;
            }
            same += differing == 1 ? 1 : 0;
            optimizer.tell(next, 0);
        }
        // all but the random restarts (5 %)
        assertThat(same).isBetween(170, 200);
    }
}
