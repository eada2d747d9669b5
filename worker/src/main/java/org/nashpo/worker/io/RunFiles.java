package org.nashpo.worker.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nashpo.schema.TrainingRun;

/** Reads and writes run files through Hadoop's FileSystem (file://, hdfs://, s3a://, bare local paths). */
public final class RunFiles {

    private RunFiles() {
    }

    /**
     * Writes the runs to {@code target}: first to a hidden temporary file beside it, then renamed,
     * so a crash leaves no partial file under the final name. An existing target is an error: run
     * files are never overwritten.
     */
    public static void write(URI target, List<TrainingRun> runs, Configuration conf) {
        Path path = new Path(target);
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (fs.exists(path)) {
                throw new IllegalArgumentException("run file " + path + " already exists; run files are never overwritten");
            }
            Path parent = path.getParent();
            if (parent != null) {
                fs.mkdirs(parent);
            }
            Path temporary = new Path(parent, "." + path.getName() + "." + UUID.randomUUID() + ".tmp");
            try (OutputStream out = fs.create(temporary, false);
                    DataFileWriter<TrainingRun> writer = new DataFileWriter<>(new SpecificDatumWriter<>(TrainingRun.class))) {
                writer.setCodec(CodecFactory.deflateCodec(6));
                writer.create(TrainingRun.getClassSchema(), out);
                for (TrainingRun run : runs) {
                    writer.append(run);
                }
            } catch (IOException | RuntimeException e) {
                fs.delete(temporary, false);
                throw e;
            }
            if (!fs.rename(temporary, path)) {
                fs.delete(temporary, false);
                throw new IOException("could not rename " + temporary + " to " + path + " (does it exist now?)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing run file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every run of a file. A file that is not an Avro run file, is truncated or corrupt is a
     * {@link CorruptRunFileException} naming the file and what is wrong; nothing of it is returned.
     */
    public static List<TrainingRun> read(URI source, Configuration conf) {
        Path path = new Path(source);
        List<TrainingRun> runs = new ArrayList<>();
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path)) {
                throw new IllegalArgumentException("run file " + path + " does not exist");
            }
            try (InputStream in = fs.open(path);
                    DataFileStream<TrainingRun> reader = new DataFileStream<>(in,
                            new SpecificDatumReader<>(TrainingRun.getClassSchema()))) {
                for (TrainingRun run : reader) {
                    runs.add(run);
                }
            }
            requireEndsWithSync(fs, path);
        } catch (IOException | AvroRuntimeException e) {
            throw new CorruptRunFileException(path + " is not a readable run file (after " + runs.size()
                    + " records): " + e.getMessage(), e);
        }
        return runs;
    }

    /**
     * Avro's reader treats an end of file inside a block as the end of the data, so a truncated
     * file would silently lose its last records. Every complete container file ends with the sync
     * marker its header declares (after the header, or after the last block): check that it does.
     */
    private static void requireEndsWithSync(FileSystem fs, Path path) throws IOException {
        long length = fs.getFileStatus(path).getLen();
        byte[] sync = new byte[DataFileConstants.SYNC_SIZE];
        byte[] tail = new byte[DataFileConstants.SYNC_SIZE];
        try (FSDataInputStream in = fs.open(path)) {
            BinaryDecoder header = DecoderFactory.get().directBinaryDecoder(in, null);
            header.readFixed(new byte[DataFileConstants.MAGIC.length]);
            for (long n = header.readMapStart(); n != 0; n = header.mapNext()) {
                for (long i = 0; i < n; i++) {
                    header.skipString();
                    header.skipBytes();
                }
            }
            header.readFixed(sync);
            in.readFully(length - tail.length, tail);
        }
        if (!Arrays.equals(sync, tail)) {
            throw new IOException("the file does not end at a block boundary: it is truncated or has trailing bytes");
        }
    }

    /** A run file that cannot be read completely. */
    public static final class CorruptRunFileException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        CorruptRunFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
