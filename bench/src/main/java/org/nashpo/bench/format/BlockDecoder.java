package org.nashpo.bench.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.util.Utf8;

/**
 * Avro's binary encoding read straight from a container file's decompressed block: the few
 * primitives the benchmark's schemas use, without Avro's per-value decoder calls. Used only for files
 * written with exactly the expected schema; malformed data is an {@link IllegalArgumentException}.
 */
final class BlockDecoder {

    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE_LE =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int pos;
    private int limit;

    void reset(ByteBuffer block) {
        buf = block.array();
        pos = block.arrayOffset() + block.position();
        limit = block.arrayOffset() + block.limit();
    }

    boolean atEnd() {
        return pos == limit;
    }

    /** A zig-zag varint long. */
    long readLong() {
        long raw = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            require(1);
            int b = buf[pos++];
            raw |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new IllegalArgumentException("malformed Avro data: a varint longer than 10 bytes at byte " + pos);
    }

    int readInt() {
        long v = readLong();
        if (v != (int) v) {
            throw new IllegalArgumentException("malformed Avro data: int out of range, " + v);
        }
        return (int) v;
    }

    float readFloat() {
        require(Float.BYTES);
        float v = (float) FLOAT_LE.get(buf, pos);
        pos += Float.BYTES;
        return v;
    }

    double readDouble() {
        require(Double.BYTES);
        double v = (double) DOUBLE_LE.get(buf, pos);
        pos += Double.BYTES;
        return v;
    }

    /** A string into a reused buffer. */
    Utf8 readString(Utf8 reuse) {
        int length = readInt();
        if (length < 0) {
            throw new IllegalArgumentException("malformed Avro data: string of length " + length);
        }
        require(length);
        reuse.setByteLength(length);
        System.arraycopy(buf, pos, reuse.getBytes(), 0, length);
        pos += length;
        return reuse;
    }

    /**
     * Items in the next block of an array (0 at its end); a negative count, which is followed by the
     * block's size in bytes, is returned as its absolute value.
     */
    long arrayBlock() {
        long n = readLong();
        if (n < 0) {
            readLong();
            return -n;
        }
        return n;
    }

    private void require(int bytes) {
        if (limit - pos < bytes) {
            throw new IllegalArgumentException("malformed Avro data: the block ends inside a value");
        }
    }
}
