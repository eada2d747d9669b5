package org.nashpo.spark.construct;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@code flaky:}, whose next {@link #FAILURES} opens fail:
 * a task that reads its data through it fails on its first attempt, as a flaky node's would.
 * Registered for tests in core-site.xml.
 */
public class FlakyFileSystem extends RawLocalFileSystem {

    static final AtomicInteger FAILURES = new AtomicInteger();

    @Override
    public URI getUri() {
        return URI.create("flaky:///");
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        if (FAILURES.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("injected failure opening " + f);
        }
        return super.open(f, bufferSize);
    }
}
