package org.nashpo.worker.golden;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The arrays of a numpy {@code .npz} file ({@code np.savez_compressed}: a zip of {@code .npy} files),
 * C order, little-endian, of the types the golden fixtures use.
 */
final class Npz {

    /** One array: its numpy type, shape and raw little-endian bytes. */
    record Array(String type, long[] shape, ByteBuffer data) {

        float[] floats() {
            require("<f4");
            float[] values = new float[data.remaining() / Float.BYTES];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        }

        double scalar() {
            require("<f8");
            return data.duplicate().order(ByteOrder.LITTLE_ENDIAN).getDouble();
        }

        byte[] bytes() {
            if (!type.equals("|i1") && !type.equals("|u1")) {
                throw new IllegalStateException("expected a byte array, was " + type);
            }
            byte[] values = new byte[data.remaining()];
            data.duplicate().get(values);
            return values;
        }

        long[] longs() {
            require("<i8");
            long[] values = new long[data.remaining() / Long.BYTES];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
            return values;
        }

        private void require(String expected) {
            if (!type.equals(expected)) {
                throw new IllegalStateException("expected " + expected + ", was " + type);
            }
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npz() {
    }

    static Map<String, Array> read(InputStream in) throws IOException {
        Map<String, Array> arrays = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (!name.endsWith(".npy")) {
                    throw new IOException("not an .npy entry: " + name);
                }
                arrays.put(name.substring(0, name.length() - 4), parse(name, ByteBuffer.wrap(zip.readAllBytes())));
            }
        }
        return arrays;
    }

    /** Format: magic, version, header length (2 bytes in v1, 4 in v2/v3), a Python dict literal, the data. */
    private static Array parse(String name, ByteBuffer npy) throws IOException {
        npy.order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        npy.get(magic);
        if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(name + ": not an .npy array");
        }
        int major = npy.get();
        npy.get();
        int headerLength = major == 1 ? Short.toUnsignedInt(npy.getShort()) : npy.getInt();
        byte[] header = new byte[headerLength];
        npy.get(header);
        String dict = new String(header, StandardCharsets.US_ASCII);
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new IOException(name + ": unreadable header " + dict);
        }
        if (fortran.group(1).equals("True")) {
            throw new IOException(name + ": Fortran order is not supported");
        }
        String dims = shape.group(1).replace(" ", "");
        long[] dimensions = dims.isEmpty() ? new long[0]
                : java.util.Arrays.stream(dims.split(",")).filter(d -> !d.isEmpty()).mapToLong(Long::parseLong).toArray();
        return new Array(descr.group(1), dimensions, npy.slice());
    }
}
