package org.nashpo.core.space;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A cell search space: the operations an edge may hold, in the order of the cellcode's digits (the first
 * is digit 0), so K operations give K⁶ cellcodes. Its cells fall into equivalence classes
 * ({@link CanonicalCell}), each trained once, on its representative:
 *
 * <ol>
 *   <li>a class NAS-HPO-Bench-II trained keeps the cell it trained (its lists of cellcodes), when the
 *       space holds that cell's operations;
 *   <li>any other class is trained on its cheapest member: of those whose edges use only the class's own
 *       operations, skip and zero (any member, if none does), the one with the fewest operation layers, then
 *       the fewest non-zero edges, then the smallest {@linkplain CellCode#stableCode() stable code}.
 * </ol>
 *
 * <p>Both depend on the class alone, not on the space's other operations or its digit order: extending a
 * space by an operation leaves every existing class, representative and run key as it was.
 *
 * <p>Spaces are values (equal when their operations are, in order) and interned: the classes of a space
 * are computed once per JVM, on first use (about a tenth of a second per 4,096 cells).
 */
public final class SearchSpace implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Digits are single characters, and string order must be index order. */
    public static final int MAX_OPERATIONS = 10;

    static final String REPRESENTATIVES_12 = "cellcodes-12epoch.txt";
    static final String REPRESENTATIVES_200 = "cellcodes-200epoch.txt";

    private static final Map<List<Op>, SearchSpace> INTERNED = new ConcurrentHashMap<>();

    /** NAS-HPO-Bench-II's space: 0 conv3x3, 1 avgpool3x3, 2 skip, 3 zero (4,096 cellcodes, 1,011 classes). */
    public static final SearchSpace NAS_HPO_BENCH_2 = of(List.of(Op.CONV3X3, Op.AVGPOOL3X3, Op.SKIP, Op.ZERO));
    /** NAS-Bench-201's space, in its own order: 0 zero, 1 skip, 2 conv1x1, 3 conv3x3, 4 avgpool3x3 (15,625 cellcodes). */
    public static final SearchSpace NAS_BENCH_201 =
            of(List.of(Op.ZERO, Op.SKIP, Op.CONV1X1, Op.CONV3X3, Op.AVGPOOL3X3));

    private final List<Op> operations;
    private final transient Map<Op, Integer> digits;
    private final transient int size;
    private transient volatile Classes classes;
    private transient volatile List<CellCode> cells;

    private SearchSpace(List<Op> operations) {
        this.operations = operations;
        Map<Op, Integer> d = new EnumMap<>(Op.class);
        for (int i = 0; i < operations.size(); i++) {
            d.put(operations.get(i), i);
        }
        this.digits = d;
        int n = 1;
        for (int e = 0; e < CellCode.EDGES; e++) {
            n *= operations.size();
        }
        this.size = n;
    }

    /**
     * The space of these operations, in digit order: at least one, at most {@link #MAX_OPERATIONS},
     * none twice; otherwise an {@link IllegalArgumentException} naming the problem.
     */
    public static SearchSpace of(List<Op> operations) {
        Objects.requireNonNull(operations, "operations");
        List<Op> ops = List.copyOf(operations);
        if (ops.isEmpty() || ops.size() > MAX_OPERATIONS) {
            throw new IllegalArgumentException("space operations: must be 1–" + MAX_OPERATIONS + ", were " + ops.size());
        }
        Set<Op> seen = EnumSet.noneOf(Op.class);
        for (Op op : ops) {
            if (!seen.add(op)) {
                throw new IllegalArgumentException("space operations: " + op.specName() + " is listed twice");
            }
        }
        return INTERNED.computeIfAbsent(ops, SearchSpace::new);
    }

    /** The space whose operations have these spec names, in this order. */
    public static SearchSpace ofNames(List<String> names) {
        List<Op> ops = new ArrayList<>(names.size());
        for (String name : names) {
            ops.add(Op.bySpecName(name).orElseThrow(() -> new IllegalArgumentException("operation \"" + name
                    + "\" is not known; expected one of " + String.join(", ", Op.specNames()))));
        }
        return of(ops);
    }

    @Serial
    private Object readResolve() throws ObjectStreamException {
        return of(operations);
    }

    /** The operations in digit order. */
    public List<Op> operations() {
        return operations;
    }

    /** K: operations per edge. */
    public int operationCount() {
        return operations.size();
    }

    /** The operations' spec names, in digit order. */
    public List<String> operationNames() {
        return operations.stream().map(Op::specName).toList();
    }

    /**
     * The name this space's outputs and canonical spec texts give an operation: its spec name, except that
     * NAS-HPO-Bench-II's space keeps the names it always printed ({@code conv}, {@code avgpool}), so its
     * outputs and spec hashes are what they were.
     */
    public String nameOf(Op op) {
        return equals(NAS_HPO_BENCH_2) && !op.aliases().isEmpty() ? op.aliases().get(0) : op.specName();
    }

    /** K⁶: cellcodes of the space. */
    public int size() {
        return size;
    }

    public boolean contains(Op op) {
        return digits.containsKey(op);
    }

    /** The digit of an operation of the space. */
    public int digit(Op op) {
        Integer d = digits.get(op);
        if (d == null) {
            throw new IllegalArgumentException(op.specName() + " is not an operation of the space " + this);
        }
        return d;
    }

    /** Whether every operation of {@code other} is one of this space's. */
    public boolean containsAll(SearchSpace other) {
        return other.operations.stream().allMatch(this::contains);
    }

    /** The cellcode with this index in string order, 0 ≤ index &lt; {@link #size()}. */
    public CellCode cell(int index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("cell index " + index + " is out of range; expected 0 ≤ index < " + size);
        }
        Op[] edges = new Op[CellCode.EDGES];
        int rest = index;
        for (int e = CellCode.EDGES - 1; e >= 0; e--) {
            edges[e] = operations.get(rest % operations.size());
            rest /= operations.size();
        }
        return new CellCode(this, Arrays.asList(edges));
    }

    /** Every cellcode, in index order. */
    public List<CellCode> cells() {
        List<CellCode> c = cells;
        if (c == null) {
            List<CellCode> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(cell(i));
            }
            c = List.copyOf(list);
            cells = c;
        }
        return c;
    }

    /** What a cellcode of this space looks like, for messages. */
    public String expectedForm() {
        String legend = java.util.stream.IntStream.range(0, operations.size())
                .mapToObj(i -> i + " " + operations.get(i).specName()).collect(Collectors.joining(", "));
        return "expected A|BC|DEF: six digits 0-" + (operations.size() - 1) + ", one per edge "
                + "0→1 | 0→2, 1→2 | 0→3, 1→3, 2→3 (" + legend + "), e.g. " + cell(292 % size)
                + ", or a NAS-Bench-201 architecture string |op~0|+|op~0|op~1|+|op~0|op~1|op~2|";
    }

    /**
     * Parses a cellcode in this space's digits ({@code A|BC|DEF}) or a NAS-Bench-201 architecture string
     * ({@code |nor_conv_3x3~0|+|…|}). Any deviation is an {@link IllegalArgumentException} naming the input,
     * the problem and the expected form.
     */
    public CellCode parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("cellcode is null; " + expectedForm());
        }
        if (text.startsWith("|")) {
            return ArchString.parse(this, text);
        }
        String quoted = "cellcode \"" + text + "\": ";
        if (text.isEmpty()) {
            throw new IllegalArgumentException(quoted + "is empty; " + expectedForm());
        }
        if (text.length() != 8 || text.charAt(1) != '|' || text.charAt(4) != '|') {
            throw new IllegalArgumentException(quoted + "has the wrong shape; " + expectedForm());
        }
        List<Op> ops = new ArrayList<>(CellCode.EDGES);
        for (int pos = 0; pos < text.length(); pos++) {
            if (pos == 1 || pos == 4) {
                continue;
            }
            char c = text.charAt(pos);
            int digit = c - '0';
            if (digit < 0 || digit >= operations.size()) {
                throw new IllegalArgumentException(quoted + "character '" + c + "' at position " + (pos + 1)
                        + " is not an operation digit; " + expectedForm());
            }
            ops.add(operations.get(digit));
        }
        return new CellCode(this, ops);
    }

    /** A cell named by its stable code (as run keys hash it), if the space holds its operations. */
    public CellCode ofStableCode(String stableCode) {
        List<Op> ops = new ArrayList<>(CellCode.EDGES);
        for (int pos = 0; pos < stableCode.length(); pos++) {
            if (pos == 1 || pos == 4) {
                continue;
            }
            char c = stableCode.charAt(pos);
            ops.add(Op.byCode(c).orElseThrow(() -> new IllegalArgumentException(
                    "stable code \"" + stableCode + "\": '" + c + "' is no operation's code")));
        }
        return new CellCode(this, ops);
    }

    /** All classes, ordered by their representative's index. */
    public List<CellClass> classes() {
        return partition().all;
    }

    public CellClass classOf(CellCode cell) {
        if (!cell.space().equals(this)) {
            cell = cell.in(this);
        }
        return partition().classOfCell[cell.index()];
    }

    /** The class with this id; an {@link IllegalArgumentException} naming the id if there is none. */
    public CellClass classById(String id) {
        CellClass cls = partition().byId.get(id);
        if (cls == null) {
            throw new IllegalArgumentException("cell class id \"" + id + "\" is not a class of the space " + this
                    + "; expected the 16-hex-digit id that `nashpo arch CELLCODE` prints");
        }
        return cls;
    }

    /** The class with this id, if the space has one. */
    public Optional<CellClass> findClass(String id) {
        return Optional.ofNullable(partition().byId.get(id));
    }

    /**
     * The cells NAS-HPO-Bench-II also trained for 200 epochs (100 cells), in this space; an
     * {@link IllegalArgumentException} if the space lacks one of their operations.
     */
    public List<CellCode> longScheduleCells() {
        List<CellCode> cells = new ArrayList<>();
        for (String code : Legacy.LONG) {
            cells.add(ofStableCode(code));
        }
        return cells;
    }

    /** Whether the space holds the cells NAS-HPO-Bench-II trained for 200 epochs. */
    public boolean hasLongScheduleCells() {
        return containsAll(NAS_HPO_BENCH_2);
    }

    /** The number of classes under NAS-Bench-201's own uniqueness rule ({@link ArchString#uniqueString}). */
    public int nb201UniqueCount() {
        return (int) cells().stream().map(ArchString::uniqueString).distinct().count();
    }

    private Classes partition() {
        Classes c = classes;
        if (c == null) {
            synchronized (this) {
                c = classes;
                if (c == null) {
                    c = new Classes(this);
                    classes = c;
                }
            }
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchSpace other && operations.equals(other.operations);
    }

    @Override
    public int hashCode() {
        return operations.hashCode();
    }

    /** The operations' spec names in digit order, e.g. {@code [conv3x3, avgpool3x3, skip, zero]}. */
    @Override
    public String toString() {
        return operationNames().toString();
    }

    /** NAS-HPO-Bench-II's lists of trained cellcodes, as stable codes (its digits are the operations' codes). */
    private static final class Legacy {
        static final List<String> REPRESENTATIVES = read(REPRESENTATIVES_12);
        static final List<String> LONG = read(REPRESENTATIVES_200);
        /** Canonical form → the cellcode NAS-HPO-Bench-II trained for it. */
        static final Map<CanonicalCell, String> BY_FORM = byForm();

        private static Map<CanonicalCell, String> byForm() {
            Map<CanonicalCell, String> forms = new HashMap<>();
            SearchSpace nhb2 = NAS_HPO_BENCH_2;
            for (String code : REPRESENTATIVES) {
                String previous = forms.put(CanonicalCell.of(nhb2.ofStableCode(code)), code);
                if (previous != null) {
                    throw new IllegalStateException(REPRESENTATIVES_12 + ": " + previous + " and " + code
                            + " are in the same class; the list must name one cell per class");
                }
            }
            return Map.copyOf(forms);
        }

        private static List<String> read(String resource) {
            try (InputStream in = SearchSpace.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + resource + " is missing from the nashpo-core jar");
                }
                List<String> cells = new ArrayList<>();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                int lineNo = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        cells.add(NAS_HPO_BENCH_2.parse(line.strip()).stableCode());
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

    /** The cells of a space grouped into classes. */
    private static final class Classes {
        final CellClass[] classOfCell;
        final List<CellClass> all;
        final Map<String, CellClass> byId;

        Classes(SearchSpace space) {
            List<CellCode> cells = space.cells();
            classOfCell = new CellClass[space.size];
            Map<CanonicalCell, List<CellCode>> members = new LinkedHashMap<>();
            for (CellCode cell : cells) {
                members.computeIfAbsent(CanonicalCell.of(cell), k -> new ArrayList<>()).add(cell);
            }
            List<CellClass> classes = new ArrayList<>(members.size());
            for (Map.Entry<CanonicalCell, List<CellCode>> e : members.entrySet()) {
                CellClass cls = new CellClass(e.getKey(), representative(space, e.getKey(), e.getValue()),
                        e.getValue());
                classes.add(cls);
                for (CellCode member : e.getValue()) {
                    classOfCell[member.index()] = cls;
                }
            }
            classes.sort(Comparator.comparing(CellClass::representative));
            all = List.copyOf(classes);
            Map<String, CellClass> ids = new HashMap<>();
            for (CellClass cls : all) {
                CellClass clash = ids.put(cls.id(), cls);
                if (clash != null) {
                    throw new IllegalStateException("class ids collide: " + cls.id() + " for "
                            + clash.representative() + " and " + cls.representative());
                }
            }
            byId = Map.copyOf(ids);
        }

        private static CellCode representative(SearchSpace space, CanonicalCell form, List<CellCode> members) {
            String trained = Legacy.BY_FORM.get(form);
            if (trained != null && trained.chars().filter(c -> c != '|')
                    .allMatch(c -> space.contains(Op.byCode((char) c).orElseThrow()))) {
                return space.ofStableCode(trained);
            }
            Set<Op> own = EnumSet.of(Op.SKIP, Op.ZERO);
            own.addAll(form.operations());
            Comparator<CellCode> cheapest = Comparator.<CellCode>comparingLong(m -> m.edges().stream().filter(Op::isNode)
                    .count()).thenComparingLong(m -> m.edges().stream().filter(op -> !op.isZero()).count())
                    .thenComparing(CellCode::stableCode);
            return members.stream().filter(m -> own.containsAll(m.edges())).min(cheapest)
                    .orElseGet(() -> members.stream().min(cheapest).orElseThrow());
        }
    }
}
