package org.nashpo.cli;

import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import picocli.CommandLine.Option;

/** The network shape options shared by the commands that build networks; defaults are the benchmark's. */
final class NetworkOptions {

    @Option(names = "--width", defaultValue = "16", description = "Channels of the first stage (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--cells-per-stage", defaultValue = "5", description = "Cells per stage (default: ${DEFAULT-VALUE}).")
    int cellsPerStage;

    @Option(names = "--stages", defaultValue = "3", description = "Stages (default: ${DEFAULT-VALUE}).")
    int stages;

    /** The shape in NAS-HPO-Bench-II's network family. */
    NetworkShape shape() {
        return new NetworkShape(width, cellsPerStage, stages);
    }

    NetworkShape shape(NetworkFamily family) {
        return new NetworkShape(width, cellsPerStage, stages, family);
    }
}
