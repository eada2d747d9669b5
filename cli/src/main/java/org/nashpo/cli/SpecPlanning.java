package org.nashpo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.spec.BenchmarkSpec;
import org.nashpo.worker.data.DataDirectory;
import org.nashpo.worker.data.DataException;
import org.nashpo.worker.data.Subset;
import org.nashpo.worker.train.TrainingSets;

/**
 * A spec resolved against its data, as construct and status need it: the spec is valid, the data
 * is readable and checked, and every run key is known — all before anything trains.
 */
record SpecPlanning(BenchmarkSpec spec, TrainingProtocol protocol, List<RunKey> keys) {

    /** The spec file, validated; an error naming the file if it cannot be read. */
    static BenchmarkSpec read(String specFile) {
        Path path = Path.of(specFile);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("--spec " + specFile + ": no such file (" + path.toAbsolutePath()
                    + "); give the path of a spec such as examples/demo.yaml");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("--spec " + specFile + ": is a directory, not a spec file; give the path "
                    + "of a spec such as examples/demo.yaml");
        }
        try {
            return BenchmarkSpec.read(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("--spec " + specFile + ": cannot read it (" + e + ")", e);
        }
    }

    private static boolean exists(java.net.URI location, Configuration hadoop) {
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
            return path.getFileSystem(hadoop).exists(path);
        } catch (IOException e) {
            return false;
        }
    }

    static SpecPlanning of(String specFile, Configuration hadoop) {
        BenchmarkSpec spec = read(specFile);
        DataDirectory directory;
        try {
            directory = TrainingSets.open(spec.data().dataset(), spec.data().uri().toString(), hadoop);
        } catch (DataException e) {
            if (exists(spec.data().uri(), hadoop)) {
                // the directory is where the spec says: what is wrong is in its files
                throw new DataException("--spec " + specFile + ", data.uri: " + e.getMessage(), e);
            }
            Path dir = Path.of(specFile).toAbsolutePath().getParent();
            throw new DataException("--spec " + specFile + ", data.uri: " + e.getMessage() + ". A relative path in a "
                    + "spec resolves against the spec's own directory (" + dir + "), so a spec copied elsewhere "
                    + "needs its data.uri changed to where the data is from there, or to an absolute path or URI", e);
        }
        Subset available = TrainingSets.available(directory, spec.data().split());
        // sizes first (the spec's, or all the data holds), then the checksums of exactly that subset
        TrainingProtocol sized = spec.protocol(Map.of(), available.train(), available.valid(), available.test());
        TrainingSets.Loaded loaded = TrainingSets.load(directory, spec.data().split(),
                new Subset(sized.trainSize(), sized.validSize(), sized.testSize()), spec.network());
        TrainingProtocol protocol = spec.protocol(loaded.protocol().dataChecksums(), available.train(),
                available.valid(), available.test());
        return new SpecPlanning(spec, protocol, spec.expand(protocol));
    }
}
