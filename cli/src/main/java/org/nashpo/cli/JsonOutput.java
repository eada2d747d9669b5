package org.nashpo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine.Option;

/** The {@code --json} option every reporting command mixes in, and the one way JSON is printed. */
final class JsonOutput {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
    boolean json;

    /** With {@code --json} the value as one JSON object, otherwise the human-readable lines. */
    int emit(PrintWriter out, Object value, Iterable<String> text) {
        if (json) {
            print(out, value);
        } else {
            text.forEach(out::println);
        }
        return Main.EXIT_OK;
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
