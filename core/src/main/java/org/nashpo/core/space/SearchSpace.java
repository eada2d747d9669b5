package org.nashpo.core.space;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 4,096 cellcodes grouped into their 1,011 equivalence classes, each with the representative the
 * original benchmark trained. Built once (about 0.1 s) and immutable.
 */
public final class SearchSpace {

    static final String REPRESENTATIVES_12 = "cellcodes-12epoch.txt";
    static final String REPRESENTATIVES_200 = "cellcodes-200epoch.txt";

    private static final class Holder {
        static final SearchSpace INSTANCE = new SearchSpace();
    }

    private final CellClass[] classOfCell = new CellClass[CellCode.COUNT];
    private final List<CellClass> classes;
    private final Map<String, CellClass> byId;
    private final List<CellCode> longScheduleCells;

    private SearchSpace() {
        Map<CanonicalCell, List<CellCode>> members = new LinkedHashMap<>();
        for (CellCode cell : CellCode.all()) {
            members.computeIfAbsent(CanonicalCell.of(cell), k -> new ArrayList<>()).add(cell);
        }
        Map<CanonicalCell, CellCode> representative = new HashMap<>();
        for (CellCode listed : readCellcodes(REPRESENTATIVES_12)) {
            CellCode previous = representative.put(CanonicalCell.of(listed), listed);
            if (previous != null) {
                throw new IllegalStateException(REPRESENTATIVES_12 + ": " + previous + " and " + listed
                        + " are in the same class; the list must name one cell per class");
            }
        }
        List<CellClass> all = new ArrayList<>(members.size());
        for (Map.Entry<CanonicalCell, List<CellCode>> e : members.entrySet()) {
            CellCode rep = representative.get(e.getKey());
            if (rep == null) {
                throw new IllegalStateException(REPRESENTATIVES_12 + ": no representative for the class of "
                        + e.getValue().get(0));
            }
            CellClass cls = new CellClass(e.getKey(), rep, e.getValue());
            all.add(cls);
            for (CellCode member : e.getValue()) {
                classOfCell[member.index()] = cls;
            }
        }
        all.sort(Comparator.comparing(CellClass::representative));
        classes = List.copyOf(all);
        Map<String, CellClass> ids = new HashMap<>();
        for (CellClass cls : classes) {
            CellClass clash = ids.put(cls.id(), cls);
            if (clash != null) {
                throw new IllegalStateException("class ids collide: " + cls.id() + " for "
                        + clash.representative() + " and " + cls.representative());
            }
        }
        byId = Map.copyOf(ids);
        longScheduleCells = readCellcodes(REPRESENTATIVES_200);
    }

    public static SearchSpace get() {
        return Holder.INSTANCE;
    }

    /** All classes, ordered by their representative's index. */
    public List<CellClass> classes() {
        return classes;
    }

    public CellClass classOf(CellCode cell) {
        return classOfCell[cell.index()];
    }

    /** The class with this id; an {@link IllegalArgumentException} naming the id if there is none. */
    public CellClass classById(String id) {
        CellClass cls = byId.get(id);
        if (cls == null) {
            throw new IllegalArgumentException("cell class id \"" + id + "\" is not a class of this space; "
                    + "expected the 16-hex-digit id that `nashpo arch CELLCODE` prints");
        }
        return cls;
    }

    /** The representatives the original benchmark also trained for 200 epochs (100 cells). */
    public List<CellCode> longScheduleCells() {
        return longScheduleCells;
    }

    private static List<CellCode> readCellcodes(String resource) {
        try (InputStream in = SearchSpace.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the nashpo-core jar");
            }
            List<CellCode> cells = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int lineNo = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    cells.add(CellCode.parse(line.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(resource + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
            return List.copyOf(cells);
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + resource, e);
        }
    }
}
