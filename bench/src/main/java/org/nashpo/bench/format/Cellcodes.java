package org.nashpo.bench.format;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.util.Utf8;
import org.nashpo.core.space.SearchSpace;

/**
 * The cellcodes of one space and their class ids as the UTF-8 bytes Avro decodes, without making a
 * String per row. Tables store a cell as its cellcode in the space's digits, {@code A|BC|DEF}.
 */
final class Cellcodes {

    private static final Map<SearchSpace, Cellcodes> BY_SPACE = new ConcurrentHashMap<>();
    /** Where the six operation digits sit in {@code A|BC|DEF}. */
    private static final int[] DIGIT_POSITIONS = {0, 2, 3, 5, 6, 7};

    private final SearchSpace space;
    /** K: the digits are 0..K−1, the index their base-K number. */
    private final int operations;
    private final String[] cellcodes;
    private final Utf8[] classIdOfCell;

    private Cellcodes(SearchSpace space) {
        this.space = space;
        this.operations = space.operationCount();
        ClassOrdinals ordinals = ClassOrdinals.of(space);
        cellcodes = new String[space.size()];
        classIdOfCell = new Utf8[space.size()];
        for (int cell = 0; cell < space.size(); cell++) {
            cellcodes[cell] = space.cell(cell).toString();
            classIdOfCell[cell] = new Utf8(ordinals.classIdOf(cell));
        }
    }

    static Cellcodes of(SearchSpace space) {
        return BY_SPACE.computeIfAbsent(space, Cellcodes::new);
    }

    SearchSpace space() {
        return space;
    }

    /**
     * The index of an {@code A|BC|DEF} cellcode of the space; anything else (an architecture string
     * included: the tables hold cellcodes) fails naming the text and the form expected.
     */
    int index(Utf8 text) {
        byte[] b = text.getBytes();
        if (text.getByteLength() == 8 && b[1] == '|' && b[4] == '|') {
            int index = 0;
            boolean digits = true;
            for (int pos : DIGIT_POSITIONS) {
                int d = b[pos] - '0';
                digits &= d >= 0 && d < operations;
                index = index * operations + d;
            }
            if (digits) {
                return index;
            }
        }
        String cellcode = text.toString();
        if (cellcode.startsWith("|")) {
            throw new IllegalArgumentException("cellcode \"" + cellcode + "\" is an architecture string; the tables "
                    + "hold cellcodes in the space's digits, " + space.expectedForm());
        }
        return space.parse(cellcode).index();
    }

    /** The cellcode with this index. */
    String cellcode(int cell) {
        return cellcodes[cell];
    }

    boolean isClassIdOf(Utf8 classId, int cell) {
        return classIdOfCell[cell].equals(classId);
    }

    String classIdOf(int cell) {
        return classIdOfCell[cell].toString();
    }
}
