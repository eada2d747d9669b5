package org.nashpo.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads Python pickles that hold numpy arrays, with Pyrolite's unpickler ({@code net.razorvine:pickle}), which reads
 * every protocol (0–5) and maps Python's values to Java's: a dict to a {@link java.util.Map}, a list to a
 * {@link java.util.List}, an int to an {@link Integer} (or {@code Long}), a tuple to an {@code Object[]}, Python 2's
 * str to a {@link String} of chars 0–255, bytes to {@code byte[]}. It knows nothing of numpy, so this class
 * registers how to rebuild numpy's arrays as {@link Array}s, in every form numpy pickles them:
 *
 * <ul>
 *   <li>{@code numpy.core.multiarray._reconstruct} (numpy 1.x; {@code numpy._core.multiarray} in numpy 2) with the
 *       array's state {@code (version, shape, dtype, fortran order, raw bytes)}, the raw bytes a Python 2 str or
 *       a Python 3 bytes, as protocols 0 to 4 write it;
 *   <li>{@code numpy.core.numeric._frombuffer} ({@code numpy._core.numeric}) with {@code (buffer, dtype, shape,
 *       order)}, as protocol 5 writes it;
 *   <li>{@code numpy.dtype} with its state {@code (version, byte order, ...)}.
 * </ul>
 *
 * <p>Pyrolite's constructors are registered process-wide ({@link Unpickler#registerConstructor} is static), so this
 * class registers them once, when it is first used; a module and name it does not register (anything else a pickle
 * may name) is never run, only read as a dictionary of its arguments.
 */
public final class NumpyPickles {

    static {
        IObjectConstructor reconstruct = args -> new Array();
        IObjectConstructor fromBuffer = NumpyPickles::fromBuffer;
        for (String core : new String[] {"numpy.core", "numpy._core"}) {
            Unpickler.registerConstructor(core + ".multiarray", "_reconstruct", reconstruct);
            Unpickler.registerConstructor(core + ".numeric", "_frombuffer", fromBuffer);
        }
        Unpickler.registerConstructor("numpy", "dtype", args -> new Dtype(text(args.length > 0 ? args[0] : null)));
    }

    private NumpyPickles() {
    }

    /**
     * The value the pickle in {@code in} holds; the stream is read up to the pickle's end (its STOP opcode) and left
     * open.
     *
     * @throws IOException if the stream ends before the pickle does, or cannot be read
     * @throws PickleException if it is not a pickle, or holds what cannot be rebuilt
     */
    public static Object load(InputStream in) throws IOException {
        // not Unpickler.close(): it closes the stream, which its owner may read on (and then closes)
        return new Unpickler().load(in);
    }

    /**
     * A numpy array as a pickle holds it: its element type ({@code u1}, {@code f8}, ...), its shape, its order and its
     * raw bytes. Public because Pyrolite sets its state by reflection ({@code __setstate__}).
     */
    public static final class Array {
        private Dtype dtype;
        private long[] shape;
        private boolean fortranOrder;
        private byte[] data;

        /** numpy's {@code ndarray.__setstate__}: {@code (version, shape, dtype, fortran order, raw bytes)}. */
        public void __setstate__(Object[] state) {
            if (state.length != 5 || !(state[2] instanceof Dtype type)) {
                throw new PickleException("a numpy array's state must be (version, shape, dtype, fortran order, "
                        + "data), was " + Arrays.deepToString(state));
            }
            shape = NumpyPickles.shape(state[1]);
            dtype = type;
            fortranOrder = Boolean.TRUE.equals(state[3]) || Integer.valueOf(1).equals(state[3]);
            data = bytes(state[4]);
        }

        /** The element type as numpy's {@code dtype.str} writes it without the byte order: {@code u1}, {@code f8}. */
        public String type() {
            return dtype.type;
        }

        /** The extent of each dimension. */
        public long[] shape() {
            return shape.clone();
        }

        /** Whether the bytes are in Fortran (column-major) order rather than C (row-major) order. */
        public boolean fortranOrder() {
            return fortranOrder;
        }

        /** The raw bytes of the elements, in the array's order (not copied: the array owns them). */
        byte[] data() {
            return data;
        }

        @Override
        public String toString() {
            return "numpy array " + type() + Arrays.toString(shape);
        }
    }

    /** A numpy dtype: its type code; its state (byte order and more) is not needed. Public for Pyrolite. */
    public static final class Dtype {
        private final String type;

        Dtype(String type) {
            this.type = Objects.requireNonNull(type, "a numpy dtype needs its type code");
        }

        /** numpy's {@code dtype.__setstate__}: {@code (version, byte order, ...)}, nothing this reader needs. */
        public void __setstate__(Object[] state) {
            Objects.requireNonNull(state, "state");
        }
    }

    /** numpy's {@code _frombuffer(buffer, dtype, shape, order)} (protocol 5). */
    private static Object fromBuffer(Object[] args) {
        if (args.length != 4 || !(args[1] instanceof Dtype type)) {
            throw new PickleException("numpy's _frombuffer takes (buffer, dtype, shape, order), was "
                    + Arrays.deepToString(args));
        }
        Array array = new Array();
        array.dtype = type;
        array.shape = shape(args[2]);
        array.fortranOrder = "F".equals(text(args[3]));
        array.data = bytes(args[0]);
        return array;
    }

    private static long[] shape(Object value) {
        if (!(value instanceof Object[] dims)) {
            throw new PickleException("a numpy array's shape must be a tuple, was " + value);
        }
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (!(dims[i] instanceof Number n)) {
                throw new PickleException("a numpy array's shape must hold integers, was " + Arrays.toString(dims));
            }
            shape[i] = n.longValue();
        }
        return shape;
    }

    /** Raw bytes: Python 3's bytes, or Python 2's str (Pyrolite reads it as chars 0–255). */
    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        throw new PickleException("a numpy array's data must be bytes or a Python 2 str, was "
                + (value == null ? "None" : value.getClass().getSimpleName()));
    }

    private static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        throw new PickleException("expected a str, was " + value);
    }
}
