package org.nashpo.cli;

import picocli.CommandLine;

/** The version the build wrote into the jar's manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"nashpo " + (version != null ? version : "(unpackaged build)"),
                "Java " + Runtime.version() + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
}
