package org.nashpo.core.space;

import java.util.List;
import java.util.Objects;

/**
 * One equivalence class of cellcodes: they compute the same function, so the benchmark trains only
 * its representative and every member answers with that result.
 *
 * @param canonical the class's canonical form
 * @param representative the member the original benchmark trained (listed in its cellcode files)
 * @param members every cellcode of the class, in index order
 */
public record CellClass(CanonicalCell canonical, CellCode representative, List<CellCode> members) {

    public CellClass {
        Objects.requireNonNull(canonical, "canonical");
        Objects.requireNonNull(representative, "representative");
        members = List.copyOf(members);
        if (!members.contains(representative)) {
            throw new IllegalArgumentException(
                    "class " + canonical.id() + ": representative " + representative + " is not a member");
        }
    }

    /** The stable id of the class (see {@link CanonicalCell#id()}). */
    public String id() {
        return canonical.id();
    }

    public int size() {
        return members.size();
    }
}
