package org.nashpo.bench.format;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.SearchSpace;

/**
 * Numbers the cell classes of one space 0..n−1 in {@link SearchSpace#classes()} order, so that tables
 * indexed by class are plain arrays, and gives each cellcode's class id.
 *
 * <p>NAS-HPO-Bench-II's space reads both from {@value #RESOURCE}, a cache of its partition: computing
 * the partition takes about half a second in a fresh JVM, which opening the published benchmark would
 * otherwise pay. Any other space computes them from {@link SearchSpace#classes()} once per JVM.
 * {@code ClassOrdinalsTest} checks the cache against {@link SearchSpace}.
 */
public final class ClassOrdinals {

    static final String RESOURCE = "cell-classes.txt";

    private static final Map<SearchSpace, ClassOrdinals> BY_SPACE = new ConcurrentHashMap<>();

    private final SearchSpace space;
    private final int[] ofCell;
    private final String[] idOfCell;
    private final int count;

    private ClassOrdinals(SearchSpace space, int[] ofCell, String[] idOfCell, int count) {
        this.space = space;
        this.ofCell = ofCell;
        this.idOfCell = idOfCell;
        this.count = count;
    }

    /** The numbering of {@code space}'s classes. */
    public static ClassOrdinals of(SearchSpace space) {
        return BY_SPACE.computeIfAbsent(space,
                s -> s.equals(SearchSpace.NAS_HPO_BENCH_2) ? read(s) : compute(s));
    }

    public SearchSpace space() {
        return space;
    }

    /** The ordinal of the class of the cellcode with this index. */
    public int ordinal(int cellIndex) {
        return ofCell[cellIndex];
    }

    /** Number of classes. */
    public int count() {
        return count;
    }

    /** The id of the class of the cellcode with this index ({@link CellClass#id()}). */
    public String classIdOf(int cellIndex) {
        return idOfCell[cellIndex];
    }

    private static ClassOrdinals compute(SearchSpace space) {
        int[] ofCell = new int[space.size()];
        String[] idOfCell = new String[space.size()];
        List<CellClass> classes = space.classes();
        for (int ordinal = 0; ordinal < classes.size(); ordinal++) {
            CellClass c = classes.get(ordinal);
            for (CellCode member : c.members()) {
                ofCell[member.index()] = ordinal;
                idOfCell[member.index()] = c.id();
            }
        }
        return new ClassOrdinals(space, ofCell, idOfCell, classes.size());
    }

    /** Reads the resource: one line "cellcode ordinal id" per cellcode of {@code space}, in index order. */
    private static ClassOrdinals read(SearchSpace space) {
        int[] ofCell = new int[space.size()];
        String[] idOfCell = new String[space.size()];
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
                if (cell == space.size() || fields.length != 3 || !fields[0].equals(space.cell(cell).toString())) {
                    throw new IllegalStateException(RESOURCE + ": \"" + line + "\" is not the line of cellcode "
                            + (cell < space.size() ? space.cell(cell) : "(none: the space has " + space.size() + ")")
                            + "; expected \"cellcode ordinal id\" per cellcode in index order");
                }
                int ordinal = Integer.parseInt(fields[1]);
                idOfCell[cell] = fields[2];
                ofCell[cell++] = ordinal;
                count = Math.max(count, ordinal + 1);
            }
            if (cell != space.size()) {
                throw new IllegalStateException(RESOURCE + ": holds " + cell + " cellcodes, expected " + space.size());
            }
            return new ClassOrdinals(space, ofCell, idOfCell, count);
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + RESOURCE, e);
        }
    }
}
