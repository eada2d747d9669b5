package org.nashpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the CLI: its exit code, what it printed and its wall time in seconds. */
record CliRun(int code, String out, String err, double seconds) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(code, out.toString(), err.toString(), (System.nanoTime() - start) / 1e9);
    }

    JsonNode json() throws IOException {
        return new ObjectMapper().readTree(out);
    }
}
