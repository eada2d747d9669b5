package org.nashpo.core.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and git commit this build of nashpo was made from, for provenance.
 *
 * @param version the Maven version
 * @param commit the git commit, with {@code -dirty} if the tree had changes; null if unknown
 */
public record BuildInfo(String version, String commit) {

    private static final BuildInfo CURRENT = load();

    public static BuildInfo current() {
        return CURRENT;
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the nashpo-core jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading build.properties", e);
        }
        String commit = p.getProperty("commit", "");
        // unfiltered placeholders mean the build had no git directory
        if (commit.isEmpty() || commit.startsWith("${")) {
            commit = null;
        } else if ("true".equals(p.getProperty("dirty"))) {
            commit += "-dirty";
        }
        return new BuildInfo(p.getProperty("version", "unknown"), commit);
    }
}
