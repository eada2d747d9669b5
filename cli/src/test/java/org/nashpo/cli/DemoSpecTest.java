package org.nashpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which demo.yaml `nashpo demo` builds without --spec: the examples bin/nashpo names, else the distribution's. */
class DemoSpecTest {

    @AfterEach
    void clear() {
        System.clearProperty("nashpo.examples");
        System.clearProperty("nashpo.home");
    }

    @Test
    void theExamplesBinNashpoNamesComeBeforeTheDistributions(@TempDir Path dir) throws Exception {
        Path repository = Files.createDirectories(dir.resolve("repo/examples"));
        Path distribution = Files.createDirectories(dir.resolve("dist/examples"));
        Files.writeString(repository.resolve("demo.yaml"), "name: demo\n");
        Files.writeString(distribution.resolve("demo.yaml"), "name: demo\n");
        System.setProperty("nashpo.home", dir.resolve("dist").toString());
        assertThat(DemoCommand.defaultSpec()).isEqualTo(distribution.resolve("demo.yaml"));
        System.setProperty("nashpo.examples", repository.toString());
        assertThat(DemoCommand.defaultSpec()).isEqualTo(repository.resolve("demo.yaml"));
        System.setProperty("nashpo.examples", dir.resolve("nowhere").toString());
        assertThatThrownBy(DemoCommand::defaultSpec).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nowhere").hasMessageContaining("--spec examples/demo.yaml");
    }
}
