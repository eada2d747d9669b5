package org.nashpo.bench.format;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/**
 * Numbers the 1,011 cell classes 0..1,010 in {@link SearchSpace#classes()} order, so that tables
 * indexed by class are plain arrays, and gives each cellcode's class id.
 *
 * <p>Both are read from {@value #RESOURCE}, a cache of the search space's partition: computing the
 * partition takes about half a second in a fresh JVM, which opening a benchmark would otherwise pay.
 * {@code ClassOrdinalsTest} checks the cache against {@link SearchSpace}.
 */
public final class ClassOrdinals {

    static final String RESOURCE = "cell-classes.txt";

    private static final int[] OF_CELL = new int[CellCode.COUNT];
    private static final String[] ID_OF_CELL = new String[CellCode.COUNT];
    private static final int COUNT;

    static {
        COUNT = read(OF_CELL, ID_OF_CELL);
    }

    private ClassOrdinals() {
    }

    /** The ordinal of the class of the cellcode with this index. */
    public static int of(int cellIndex) {
        return OF_CELL[cellIndex];
    }

    /** Number of classes. */
    public static int count() {
        return COUNT;
    }

    /** The id of the class of the cellcode with this index ({@link org.nashpo.core.space.CellClass#id()}). */
    public static String classIdOf(int cellIndex) {
        return ID_OF_CELL[cellIndex];
    }

    /** Reads the resource: one line "cellcode ordinal id" per cellcode, in index order; returns the classes. */
    private static int read(int[] ofCell, String[] idOfCell) {
        try (InputStream in = ClassOrdinals.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the nashpo-bench jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            int cell = 0;
            int count = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(" ");
                if (cell == CellCode.COUNT || fields.length != 3
                        || !fields[0].equals(CellCode.ofIndex(cell).toString())) {
                    throw new IllegalStateException(RESOURCE + ": \"" + line + "\" is not the line of cellcode "
                            + (cell < CellCode.COUNT ? CellCode.ofIndex(cell) : "(none: the space has "
                            + CellCode.COUNT + ")") + "; expected \"cellcode ordinal id\" per cellcode in index order");
                }
                int ordinal = Integer.parseInt(fields[1]);
                idOfCell[cell] = fields[2];
                ofCell[cell++] = ordinal;
                count = Math.max(count, ordinal + 1);
            }
            if (cell != CellCode.COUNT) {
                throw new IllegalStateException(RESOURCE + ": holds " + cell + " cellcodes, expected " + CellCode.COUNT);
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + RESOURCE, e);
        }
    }
}
