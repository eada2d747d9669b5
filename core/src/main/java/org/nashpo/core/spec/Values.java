package org.nashpo.core.spec;

import java.util.List;
import java.util.Map;

/** How a value from the YAML is named in a problem: the reader should recognise what they wrote. */
final class Values {

    private Values() {
    }

    static String describe(Object value) {
        if (value == null) {
            return "empty";
        }
        if (value instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        // !!binary is the one standard tag that loads as an array
        return value.getClass().isArray() ? "binary data" : value.toString();
    }
}
