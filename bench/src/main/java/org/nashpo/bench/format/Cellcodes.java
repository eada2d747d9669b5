package org.nashpo.bench.format;

import org.apache.avro.util.Utf8;
import org.nashpo.core.space.CellCode;

/** Cellcodes and class ids as the UTF-8 bytes Avro decodes, without making a String per row. */
final class Cellcodes {

    private static final Utf8[] CLASS_ID_OF_CELL = new Utf8[CellCode.COUNT];
    /** Where the six operation digits sit in {@code A|BC|DEF}. */
    private static final int[] DIGIT_POSITIONS = {0, 2, 3, 5, 6, 7};

    static {
        for (int cell = 0; cell < CellCode.COUNT; cell++) {
            CLASS_ID_OF_CELL[cell] = new Utf8(ClassOrdinals.classIdOf(cell));
        }
    }

    private Cellcodes() {
    }

    /** The index of an {@code A|BC|DEF} cellcode; anything else fails with {@link CellCode#parse}'s message. */
    static int index(Utf8 text) {
        byte[] b = text.getBytes();
        if (text.getByteLength() == 8 && b[1] == '|' && b[4] == '|') {
            int index = 0;
            boolean digits = true;
            for (int pos : DIGIT_POSITIONS) {
                int d = b[pos] - '0';
                digits &= d >= 0 && d <= 3;
                index = index * 4 + d;
            }
            if (digits) {
                return index;
            }
        }
        return CellCode.parse(text.toString()).index();
    }

    static boolean isClassIdOf(Utf8 classId, int cell) {
        return CLASS_ID_OF_CELL[cell].equals(classId);
    }

    static String classIdOf(int cell) {
        return CLASS_ID_OF_CELL[cell].toString();
    }
}
