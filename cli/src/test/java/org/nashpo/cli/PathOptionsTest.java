package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every option that names a local file or directory takes a plain path or a file: URI with the same
 * meaning, and refuses another scheme by name (it once made a directory named "file:" or "hdfs:").
 * The options that take any Hadoop location go through {@link Uris#of}, tested in {@code UrisTest}.
 */
class PathOptionsTest {

    /** Command, option, and the other arguments the command requires. */
    static Stream<Arguments> localPathOptions() {
        return Stream.of(
                Arguments.of("perf-query", "--bench", List.of()),
                Arguments.of("optimize", "--bench", List.of("--out", "/tmp/o")),
                Arguments.of("optimize", "--out", List.of("--bench", "/tmp/b")),
                Arguments.of("synth-bench", "--out", List.of()),
                Arguments.of("demo", "--spec", List.of()));
    }

    private static Object parsed(String command, String option, String value, List<String> rest) {
        List<String> args = new ArrayList<>(List.of(command, option, value));
        args.addAll(rest);
        CommandLine.ParseResult result = Main.commandLine().parseArgs(args.toArray(String[]::new));
        return result.subcommand().matchedOptionValue(option, null);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("localPathOptions")
    void aFileUriMeansThePathAndAnotherSchemeIsRefusedByName(String command, String option, List<String> rest) {
        assertThat(parsed(command, option, "file:///data/x", rest)).isEqualTo(Path.of("/data/x"));
        assertThat(parsed(command, option, "/data/x", rest)).isEqualTo(Path.of("/data/x"));
        assertThat(parsed(command, option, "relative/x", rest)).isEqualTo(Path.of("relative/x"));

        assertThatThrownBy(() -> parsed(command, option, "hdfs://namenode/x", rest))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining(option).hasMessageContaining("hdfs: URI").hasMessageContaining("local");
        assertThatThrownBy(() -> parsed(command, option, "file:relative", rest))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining(option).hasMessageContaining("file:///");
    }
}
