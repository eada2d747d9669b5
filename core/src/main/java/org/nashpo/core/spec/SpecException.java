package org.nashpo.core.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that cannot be used, with every problem found in it (not just the first). */
public final class SpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<SpecProblem> problems;

    public SpecException(List<SpecProblem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<SpecProblem> problems() {
        return problems;
    }

    private static String render(List<SpecProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a SpecException needs at least one problem");
        }
        String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
        return "invalid spec, " + count + ":" + problems.stream()
                .map(p -> "\n  " + p).collect(Collectors.joining());
    }
}
