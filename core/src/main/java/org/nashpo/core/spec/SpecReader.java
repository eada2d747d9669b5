package org.nashpo.core.spec;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.space.Op;
import org.nashpo.core.space.SearchSpace;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.ConstructorException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Turns a spec's YAML into a {@link BenchmarkSpec}, collecting every problem with its path instead of
 * stopping at the first. Each reading method reports what is wrong with its value and returns null, so
 * its caller goes on with the next one; the spec is assembled only when nothing was reported.
 */
final class SpecReader {

    private static final List<String> SPEC_KEYS =
            List.of("name", "space", "data", "output", "network", "grid", "schedules", "resources");
    private static final List<String> SPACE_KEYS = List.of("network", "operations");
    private static final List<String> DATA_KEYS =
            List.of("dataset", "split", "uri", "trainSize", "validSize", "testSize");
    private static final List<String> NETWORK_KEYS = List.of("width", "cellsPerStage", "stages");
    private static final List<String> GRID_KEYS = List.of("lrs", "batchSizes", "seeds");
    private static final List<String> SCHEDULE_KEYS = List.of("epochs", "cells");
    private static final List<String> RANDOM_KEYS = List.of("random", "seed");
    private static final List<String> OPERATIONS_KEYS = List.of("operations");
    private static final List<String> RESOURCES_KEYS = List.of("threadsPerTask", "gpusPerTask");
    private static final String SELECTIONS =
            "all, representatives, long-schedule, a list of cellcodes, {random: N, seed: S} or {operations: [OP, ...]}";
    /** A URI scheme of two letters or more, so that a Windows drive (C:\…) reads as a path. */
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:");
    private static final String NO_CONSTRUCTOR = "could not determine a constructor for the tag ";
    private static final String STANDARD_TAG = "tag:yaml.org,2002:";

    private final URI location;
    private final List<SpecProblem> problems = new ArrayList<>();
    /** The spec's space, which cellcodes are read in; null while unknown or if it has problems. */
    private SearchSpace space = SearchSpace.NAS_HPO_BENCH_2;
    private NetworkFamily family = NetworkFamily.NAS_HPO_BENCH_2;
    /** The spec's data set, which the network's input and head follow. */
    private Dataset dataset = Dataset.CIFAR10;

    private SpecReader(URI location) {
        this.location = location;
    }

    static BenchmarkSpec read(Reader yaml, URI location) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(location, "location");
        if (!location.isAbsolute() || location.isOpaque()) {
            throw new IllegalArgumentException(
                    "spec location: must be the spec file's absolute URI (scheme:/path), was " + location);
        }
        // Load with the core schema builds maps, lists, strings, numbers, booleans and nulls only: a tag
        // naming a Java class is an error, never an instantiation.
        LoadSettings settings = LoadSettings.builder()
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false) // a repeated key would silently override the first
                .build();
        Object document;
        try {
            document = new Load(settings).loadFromReader(yaml);
        } catch (YamlEngineException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException("reading the spec " + location, io);
            }
            throw new SpecException(List.of(yamlProblem(e)));
        }
        SpecReader reader = new SpecReader(location);
        BenchmarkSpec spec = reader.spec(document);
        if (!reader.problems.isEmpty()) {
            throw new SpecException(reader.problems);
        }
        return spec;
    }

    private static SpecProblem yamlProblem(YamlEngineException e) {
        if (!(e instanceof MarkedYamlEngineException marked) || marked.getProblemMark().isEmpty()) {
            return new SpecProblem("", "not valid YAML: " + e.getMessage());
        }
        String where = where(marked.getProblemMark().get());
        String problem = marked.getProblem();
        if (e instanceof ConstructorException && problem.startsWith(NO_CONSTRUCTOR)) {
            String tag = problem.substring(NO_CONSTRUCTOR.length()).replace(STANDARD_TAG, "!!");
            return new SpecProblem(where, "the YAML tag " + tag
                    + " is not allowed; a spec holds only mappings, lists, strings, numbers and booleans");
        }
        String context = marked.getContext() == null ? "" : " (" + marked.getContext()
                + marked.getContextMark().map(m -> " at " + where(m)).orElse("") + ")";
        return new SpecProblem(where, "not valid YAML: " + problem + context);
    }

    private static String where(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private BenchmarkSpec spec(Object document) {
        Map<String, Object> spec = mapping(document, "", SPEC_KEYS, List.of("name", "data", "output", "schedules"));
        if (spec == null) {
            return null;
        }
        String name = spec.containsKey("name") ? checked("name", string(spec.get("name"), "name"), Rules::name) : null;
        if (spec.containsKey("space")) {
            space(spec.get("space"));
        }
        DataSpec data = spec.containsKey("data") ? data(spec.get("data")) : null;
        URI output = spec.containsKey("output") ? location(spec.get("output"), "output") : null;
        NetworkShape network = spec.containsKey("network") ? network(spec.get("network")) : NetworkShape.BENCHMARK;
        GridSpec grid = spec.containsKey("grid") ? grid(spec.get("grid")) : GridSpec.BENCHMARK;
        List<Schedule> schedules = spec.containsKey("schedules")
                ? list(spec.get("schedules"), "schedules", this::schedule)
                : null;
        if (schedules != null && space != null) {
            for (int i = 0; i < schedules.size(); i++) {
                String at = "schedules[" + i + "].cells";
                schedules.get(i).cells().problemIn(space).ifPresent(problem -> problem(at, problem));
            }
        }
        Optional<Resources> resources = spec.containsKey("resources")
                ? Optional.ofNullable(resources(spec.get("resources")))
                : Optional.empty();
        return problems.isEmpty()
                ? new BenchmarkSpec(name, data, output, space, network.withFamily(family).withDataset(dataset), grid,
                        schedules, resources)
                : null;
    }

    /**
     * {@code space: FAMILY} (the family's own operations) or {@code space: {network: FAMILY, operations: [...]}};
     * sets {@link #space} and {@link #family}, or reports and leaves the space unknown (null).
     */
    private void space(Object value) {
        String families = String.join(", ", NetworkFamily.specNames());
        if (value instanceof String named) {
            Optional<NetworkFamily> preset = NetworkFamily.bySpecName(named);
            if (preset.isEmpty()) {
                problem("space", "unknown space " + Values.describe(named) + "; expected " + families
                        + " or a mapping {network: FAMILY, operations: [OP, ...]}");
                space = null;
                return;
            }
            family = preset.get();
            space = family.space();
            return;
        }
        Map<String, Object> map = mapping(value, "space", SPACE_KEYS, List.of());
        if (map == null) {
            space = null;
            return;
        }
        if (map.containsKey("network")) {
            String named = string(map.get("network"), "space.network");
            Optional<NetworkFamily> f = named == null ? Optional.empty() : NetworkFamily.bySpecName(named);
            if (named != null && f.isEmpty()) {
                problem("space.network", "unknown network family " + Values.describe(named) + "; expected " + families);
            }
            if (f.isEmpty()) {
                space = null;
                return;
            }
            family = f.get();
        }
        if (!map.containsKey("operations")) {
            space = family.space();
            return;
        }
        List<Op> ops = list(map.get("operations"), "space.operations", this::operation);
        if (ops != null && ops.size() > SearchSpace.MAX_OPERATIONS) {
            problem("space.operations", "must hold at most " + SearchSpace.MAX_OPERATIONS + " operations (one digit "
                    + "each), held " + ops.size());
            ops = null;
        }
        space = ops == null ? null : SearchSpace.of(ops);
    }

    private DataSpec data(Object value) {
        Map<String, Object> data = mapping(value, "data", DATA_KEYS, List.of("uri"));
        if (data == null) {
            return null;
        }
        URI uri = data.containsKey("uri") ? location(data.get("uri"), "data.uri") : null;
        Dataset set = data.containsKey("dataset") ? named(data.get("dataset"), "data.dataset", Dataset::bySpecName,
                Dataset.specNames()) : Dataset.CIFAR10;
        DataSplit split = data.containsKey("split")
                ? named(data.get("split"), "data.split", DataSplit::bySpecName, DataSplit.specNames())
                : set == null ? null : set.defaultSplit();
        if (set != null && split != null) {
            split = checked("data.split", split, s -> Rules.splits(s, set));
        }
        dataset = set;
        // with the data set and its split unknown, only the lower bound is known
        DataSplit.Sizes full = set == null || split == null ? null : split.sizes(set);
        OptionalInt train = size(data, "trainSize", n -> full == null ? Rules.atLeast(1, n)
                : Rules.between(1, full.train(), n));
        OptionalInt valid = size(data, "validSize", n -> full == null ? Rules.atLeast(1, n)
                : Rules.between(1, full.valid(), n));
        OptionalInt test = size(data, "testSize", n -> full == null ? Rules.atLeast(1, n)
                : Rules.between(1, full.test(), n));
        return uri == null || full == null ? null : new DataSpec(uri, set, split, train, valid, test);
    }

    /** One of a closed set of names; null after reporting anything else. */
    private <T> T named(Object value, String path, Function<String, Optional<T>> byName, List<String> names) {
        String text = string(value, path);
        if (text == null) {
            return null;
        }
        Optional<T> found = byName.apply(text);
        if (found.isEmpty()) {
            problem(path, "must be one of " + String.join(", ", names) + ", was " + Values.describe(text));
            return null;
        }
        return found.get();
    }

    /** Absent: all the data holds. A wrong value is reported and reads as absent (the spec is not built). */
    private OptionalInt size(Map<String, Object> data, String key, Function<Integer, Optional<String>> rule) {
        if (!data.containsKey(key)) {
            return OptionalInt.empty();
        }
        String path = "data." + key;
        Integer n = checked(path, integer(data.get(key), path), rule);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** A Hadoop URI as it is, or a path resolved against the spec's own location. */
    private URI location(Object value, String path) {
        String text = string(value, path);
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            problem(path, "must be a URI or a path, was " + Values.describe(text));
            return null;
        }
        try {
            URI written = SCHEME.matcher(text).lookingAt() ? new URI(text) : new URI(null, null, text, null);
            return checked(path, location.resolve(written).normalize(), Rules::absolute);
        } catch (URISyntaxException e) {
            problem(path, "is not a valid URI (" + e.getReason() + "), was " + Values.describe(text));
            return null;
        }
    }

    private NetworkShape network(Object value) {
        Map<String, Object> network = mapping(value, "network", NETWORK_KEYS, List.of());
        if (network == null) {
            return null;
        }
        NetworkShape d = NetworkShape.BENCHMARK;
        Integer width = intOr(network, "network", "width", d.width(), v -> Rules.atLeast(1, v));
        Integer cells = intOr(network, "network", "cellsPerStage", d.cellsPerStage(), v -> Rules.atLeast(1, v));
        int maxStages = dataset == null ? NetworkShape.MAX_STAGES : dataset.maxStages();
        Integer stages = intOr(network, "network", "stages", d.stages(), v -> Rules.between(1, maxStages, v)
                .map(problem -> dataset == null ? problem : problem + " (" + dataset.specName() + "'s "
                        + dataset.imageSize() + "×" + dataset.imageSize() + " images: each stage halves them)"));
        return width == null || cells == null || stages == null ? null : new NetworkShape(width, cells, stages);
    }

    private GridSpec grid(Object value) {
        Map<String, Object> grid = mapping(value, "grid", GRID_KEYS, List.of());
        if (grid == null) {
            return null;
        }
        GridSpec d = GridSpec.BENCHMARK;
        List<Double> lrs = grid.containsKey("lrs")
                ? list(grid.get("lrs"), "grid.lrs", (v, p) -> checked(p, number(v, p), Rules::positiveFinite))
                : d.lrs();
        List<Integer> batchSizes = grid.containsKey("batchSizes")
                ? list(grid.get("batchSizes"), "grid.batchSizes",
                        (v, p) -> checked(p, integer(v, p), n -> Rules.atLeast(1, n)))
                : d.batchSizes();
        List<Integer> seeds = grid.containsKey("seeds") ? list(grid.get("seeds"), "grid.seeds", this::integer) : d.seeds();
        return lrs == null || batchSizes == null || seeds == null ? null : new GridSpec(lrs, batchSizes, seeds);
    }

    private Schedule schedule(Object value, String path) {
        Map<String, Object> schedule = mapping(value, path, SCHEDULE_KEYS, SCHEDULE_KEYS);
        if (schedule == null) {
            return null;
        }
        Integer epochs = schedule.containsKey("epochs")
                ? checked(path + ".epochs", integer(schedule.get("epochs"), path + ".epochs"), n -> Rules.atLeast(1, n))
                : null;
        CellSelection cells = schedule.containsKey("cells") ? cells(schedule.get("cells"), path + ".cells") : null;
        return epochs == null || cells == null ? null : new Schedule(epochs, cells);
    }

    private CellSelection cells(Object value, String path) {
        if (value instanceof String named) {
            switch (named) {
                case "all":
                    return new CellSelection.All();
                case "representatives":
                    return new CellSelection.Representatives();
                case "long-schedule":
                    return new CellSelection.LongSchedule();
                default:
                    problem(path, "unknown selection " + Values.describe(named) + "; expected " + SELECTIONS);
                    return null;
            }
        }
        if (value instanceof List<?>) {
            List<CellCode> cells = list(value, path, this::cellcode);
            return cells == null ? null : new CellSelection.Explicit(cells);
        }
        if (value instanceof Map<?, ?> map && map.containsKey("operations")) {
            Map<String, Object> ops = mapping(value, path, OPERATIONS_KEYS, OPERATIONS_KEYS);
            if (ops == null) {
                return null;
            }
            List<Op> operations = list(ops.get("operations"), path + ".operations", this::operation);
            if (operations == null) {
                return null;
            }
            try {
                return new CellSelection.Operations(operations);
            } catch (IllegalArgumentException e) {
                problem(path + ".operations", e.getMessage().replaceFirst("^operations: ", ""));
                return null;
            }
        }
        if (value instanceof Map<?, ?>) {
            Map<String, Object> random = mapping(value, path, RANDOM_KEYS, RANDOM_KEYS);
            if (random == null) {
                return null;
            }
            Integer count = random.containsKey("random")
                    ? checked(path + ".random", integer(random.get("random"), path + ".random"), n -> space == null
                            ? Rules.atLeast(1, n) : Rules.sampleSize(n, space.classes().size()))
                    : null;
            Long seed = random.containsKey("seed") ? longInteger(random.get("seed"), path + ".seed") : null;
            return count == null || seed == null ? null : new CellSelection.RandomSample(count, seed);
        }
        problem(path, "must be " + SELECTIONS + ", was " + Values.describe(value));
        return null;
    }

    private Op operation(Object value, String path) {
        Optional<Op> op = value instanceof String name ? Op.bySpecName(name) : Optional.empty();
        if (op.isEmpty()) {
            problem(path, "must be one of " + Op.specNames() + ", was " + Values.describe(value));
            return null;
        }
        return op.get();
    }

    /** A cellcode of the spec's space; when the space itself is wrong, nothing (its problem is reported). */
    private CellCode cellcode(Object value, String path) {
        if (!(value instanceof String text)) {
            problem(path, "must be a cellcode such as '0|10|210', was " + Values.describe(value));
            return null;
        }
        if (space == null) {
            return null;
        }
        try {
            return space.parse(text);
        } catch (IllegalArgumentException e) {
            problem(path, e.getMessage());
            return null;
        }
    }

    /** Absent: the job decides; present: each key left out takes {@link Resources#DEFAULT}'s value. */
    private Resources resources(Object value) {
        Map<String, Object> resources = mapping(value, "resources", RESOURCES_KEYS, List.of());
        if (resources == null) {
            return null;
        }
        Integer threads = intOr(resources, "resources", "threadsPerTask", Resources.DEFAULT.threadsPerTask(),
                n -> Rules.atLeast(1, n));
        Double gpus = resources.containsKey("gpusPerTask")
                ? checked("resources.gpusPerTask", number(resources.get("gpusPerTask"), "resources.gpusPerTask"),
                        Rules::gpus)
                : Resources.DEFAULT.gpusPerTask();
        return threads == null || gpus == null ? null : new Resources(threads, gpus);
    }

    /**
     * The mapping at {@code path} with only its known keys, after reporting unknown and missing ones;
     * null if the value is not a mapping.
     */
    private Map<String, Object> mapping(Object value, String path, List<String> keys, List<String> required) {
        if (!(value instanceof Map<?, ?> map)) {
            problem(path, (path.isEmpty() ? "a spec " : "") + "must be a mapping with keys " + String.join(", ", keys)
                    + ", was " + Values.describe(value));
            return null;
        }
        Map<String, Object> known = new LinkedHashMap<>();
        map.forEach((key, v) -> {
            if (key instanceof String name && keys.contains(name)) {
                known.put(name, v);
            } else {
                problem(child(path, String.valueOf(key)), "unknown key; expected one of " + String.join(", ", keys));
            }
        });
        for (String key : required) {
            if (!map.containsKey(key)) {
                problem(child(path, key), "missing; this key is required");
            }
        }
        return known;
    }

    /**
     * The list at {@code path}, each element read by {@code element} with its own path; empty lists and
     * repeated elements are problems. Null if any element or the list itself has a problem.
     */
    private <T> List<T> list(Object value, String path, BiFunction<Object, String, T> element) {
        if (!(value instanceof List<?> raw)) {
            problem(path, "must be a list, was " + Values.describe(value));
            return null;
        }
        if (raw.isEmpty()) {
            problem(path, "must not be empty");
            return null;
        }
        List<T> read = new ArrayList<>(raw.size());
        boolean valid = true;
        for (int i = 0; i < raw.size(); i++) {
            T t = element.apply(raw.get(i), path + "[" + i + "]");
            read.add(t);
            if (t == null) {
                valid = false;
            } else {
                int earlier = Rules.earlierDuplicate(read, i);
                if (earlier >= 0) {
                    // a scalar as the file writes it; a mapping or list as read
                    Object shown = raw.get(i) instanceof Map<?, ?> || raw.get(i) instanceof List<?> ? t : raw.get(i);
                    problem(path + "[" + i + "]", Values.describe(shown) + " is already at " + path + "[" + earlier + "]");
                    valid = false;
                }
            }
        }
        return valid ? read : null;
    }

    private Integer intOr(Map<String, Object> map, String path, String key, int fallback,
            Function<Integer, Optional<String>> rule) {
        String at = child(path, key);
        return map.containsKey(key) ? checked(at, integer(map.get(key), at), rule) : Integer.valueOf(fallback);
    }

    private String string(Object value, String path) {
        if (value instanceof String s) {
            return s;
        }
        problem(path, "must be a string, was " + Values.describe(value));
        return null;
    }

    private Integer integer(Object value, String path) {
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Long || value instanceof BigInteger) {
            problem(path, "must be " + Integer.MIN_VALUE + "–" + Integer.MAX_VALUE + ", was " + value);
        } else {
            problem(path, "must be an integer, was " + Values.describe(value));
        }
        return null;
    }

    private Long longInteger(Object value, String path) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        problem(path, value instanceof BigInteger
                ? "must be a 64-bit integer, was " + value
                : "must be an integer, was " + Values.describe(value));
        return null;
    }

    private Double number(Object value, String path) {
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Double) {
            return ((Number) value).doubleValue();
        }
        problem(path, "must be a number, was " + Values.describe(value));
        return null;
    }

    /** The value if it obeys the rule; otherwise reports the rule's problem. Null stays null (reported). */
    private <T> T checked(String path, T value, Function<T, Optional<String>> rule) {
        if (value == null) {
            return null;
        }
        Optional<String> problem = rule.apply(value);
        problem.ifPresent(message -> problem(path, message));
        return problem.isPresent() ? null : value;
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private void problem(String path, String message) {
        problems.add(new SpecProblem(path, message));
    }
}
