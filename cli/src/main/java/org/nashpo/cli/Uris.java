package org.nashpo.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Command-line locations: a URI with a scheme (file:, hdfs:, s3a:) as given, anything else a local path. */
final class Uris {

    private Uris() {
    }

    static URI of(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + ": is empty; expected a local path or a URI such as hdfs://namenode/path");
        }
        try {
            URI uri = new URI(text);
            if (uri.getScheme() != null && uri.getScheme().length() > 1) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // not a URI: a local path, possibly with characters URIs do not allow
        }
        return Path.of(text).toAbsolutePath().normalize().toUri();
    }
}
