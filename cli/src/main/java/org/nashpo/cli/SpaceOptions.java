package org.nashpo.cli;

import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.space.SearchSpace;
import picocli.CommandLine.Option;

/**
 * The {@code --space} option of the commands that build or describe one cell outside a spec: a network family's
 * own space (its operations in its digit order, and its network). A spec names any other space.
 */
final class SpaceOptions {

    @Option(names = "--space", defaultValue = "nas-hpo-bench-2", paramLabel = "SPACE",
            description = "The cell space and network: nas-hpo-bench-2 (0 conv3x3, 1 avgpool3x3, 2 skip, 3 zero) or "
                    + "nas-bench-201 (0 zero, 1 skip, 2 conv1x1, 3 conv3x3, 4 avgpool3x3; its bias-free network). "
                    + "Default: ${DEFAULT-VALUE}.")
    String space;

    NetworkFamily family() {
        return NetworkFamily.bySpecName(space).orElseThrow(() -> new IllegalArgumentException("--space " + space
                + ": unknown space; expected one of " + String.join(", ", NetworkFamily.specNames())
                + " (a spec's space section names any other)"));
    }

    SearchSpace searchSpace() {
        return family().space();
    }
}
