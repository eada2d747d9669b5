package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nashpo optimize} runs an optimizer written outside nashpo, as its user would: the source below is
 * compiled against the bench classes into a jar of its own that lists its provider in META-INF/services,
 * and a separate JVM runs the CLI with that jar on the class path.
 */
class OwnOptimizerIT {

    private static final String PROVIDER = "org.example.byo.FirstImprovement";

    /** Hill climbing from a random start: one free variable changed at a time, the better kept. */
    private static final String SOURCE = """
            package org.example.byo;

            import java.util.SplittableRandom;
            import org.nashpo.bench.optim.Domain;
            import org.nashpo.bench.optim.Optimizer;
            import org.nashpo.bench.optim.OptimizerProvider;

            public final class FirstImprovement implements OptimizerProvider {

                @Override
                public String label() {
                    return "first-improvement";
                }

                @Override
                public Optimizer create(SplittableRandom rng, Domain domain) {
                    return new Optimizer() {
                        private int best = -1;
                        private double bestAccuracy = Double.NEGATIVE_INFINITY;

                        @Override
                        public int ask() {
                            if (best < 0) {
                                return domain.random(rng);
                            }
                            int j = rng.nextInt(domain.variables());
                            return domain.with(best, j, rng.nextInt(domain.size(j)));
                        }

                        @Override
                        public void tell(int configIndex, double accuracy) {
                            if (accuracy > bestAccuracy) {
                                best = configIndex;
                                bestAccuracy = accuracy;
                            }
                        }
                    };
                }
            }
            """;

    @Test
    void anOptimizerOnTheClassPathRunsBesideTheBuiltInOnesInOneReport(@TempDir Path dir) throws Exception {
        Path jar = userJar(dir);
        Path bench = dir.resolve("synth");
        assertThat(CliRun.of("synth-bench", "--out", bench.toString(), "--seed", "3").code()).isZero();
        Path out = dir.resolve("report");

        Forked run = fork(dir, jar, "optimize", "--bench", bench.toString(), "--algorithms",
                "rs,rea,first-improvement,first-improvement/hpo", "--runs", "6", "--out", out.toString(), "--seed", "5",
                "--threads", "2", "--json");

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        List<String> names = new ArrayList<>();
        json.get("algorithms").forEach(a -> names.add(a.get("algorithm").asText()));
        assertThat(names).containsExactly("rs", "rea", "first-improvement", "first-improvement/hpo");
        JsonNode own = json.get("algorithms").get(2);
        assertThat(own.get("runs").asInt()).isEqualTo(6);
        assertThat(own.get("meanEvaluations").asDouble()).isGreaterThan(10);
        assertThat(own.get("finalRank").asDouble()).isBetween(1.0, 4.0);
        assertThat(Files.readAllLines(out.resolve("summary.csv"))).hasSize(5)
                .anySatisfy(line -> assertThat(line).startsWith("first-improvement,6,0,"));
        assertThat(Files.readString(out.resolve("report.html"))).contains("first-improvement");

        Forked help = fork(dir, jar, "optimize", "--help");
        assertThat(help.out().replaceAll("\\s+", " ")).contains("bohb-rea, asng, first-improvement").contains("NASHPO_CLASSPATH")
                .contains("META-INF/services/org.nashpo.bench.optim.OptimizerProvider");

        CliRun without = CliRun.of("optimize", "--bench", bench.toString(), "--algorithms", "rs,first-improvement",
                "--out", dir.resolve("none").toString());
        assertThat(without.code()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(without.err()).contains("--algorithms: \"first-improvement\" is not known; expected one of rs, ls, rea")
                .contains("META-INF/services/org.nashpo.bench.optim.OptimizerProvider");
        assertThat(dir.resolve("none")).doesNotExist();
    }

    /** The source above compiled against this JVM's class path, as a jar with its service file. */
    private static Path userJar(Path dir) throws IOException {
        Path src = dir.resolve("src/org/example/byo/FirstImprovement.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int code = javac.run(null, null, null, "--release", "17", "-Xlint:all,-path", "-Werror", "-classpath",
                System.getProperty("java.class.path"), "-d", classes.toString(), src.toString());
        assertThat(code).as("javac").isZero();
        Path jar = dir.resolve("first-improvement.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
            }
            out.putNextEntry(new JarEntry("META-INF/services/org.nashpo.bench.optim.OptimizerProvider"));
            out.write((PROVIDER + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private record Forked(int code, String out, String err) {
    }

    /** {@code java -cp <this JVM's class path>:<jar> org.nashpo.cli.Main args}. */
    private static Forked fork(Path dir, Path jar, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path") + File.pathSeparator + jar, Main.class.getName()));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(dir, "out", ".txt");
        Path stderr = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the forked CLI finished").isTrue();
        return new Forked(p.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }
}
