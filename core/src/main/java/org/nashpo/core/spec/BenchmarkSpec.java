package org.nashpo.core.spec;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.network.NetworkFamily;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.core.space.SearchSpace;

/**
 * What a construct job builds: a YAML file, read by {@link #read(Path)} or {@link #parse(String, URI)}.
 * Keys are case-sensitive; any other key is a problem; <i>(default …)</i> marks an optional key.
 *
 * <pre>
 * name: nas-hpo-bench-2            # one line; labels the job and its logs
 * space: nas-hpo-bench-2           # (default) a family's own space: nas-hpo-bench-2 | nas-bench-201, or
 *   network: nas-bench-201         #   the network family (default nas-hpo-bench-2)
 *   operations: [zero, skip, …]    #   (default: the family's) the operations in digit order
 * data:
 *   dataset: cifar10               # (default) cifar10 | cifar100 | imagenet16-120
 *   split: nas-hpo-bench-2         # (default: cifar10's; nas-bench-201 for the others) how it is divided
 *   uri: ../data/cifar-10          # the data set's files in their official layout: a Hadoop URI (hdfs://,
 *                                  # s3a://, file:) or a path; a relative path is relative to this file's directory
 *   trainSize: 25000               # (default: all the data holds) images of the train set, 1 to the split's
 *   validSize: 25000               # (default: all) images of the valid set, 1 to the split's
 *   testSize: 10000                # (default: all) images of the test set, 1 to the split's
 * output: hdfs:///nashpo/runs      # where runs are written: URI or path, resolved like data.uri
 * network:                         # (default 16 / 5 / 3, the benchmark's; each key on its own too)
 *   width: 16                      # channels of the first stage, ≥ 1
 *   cellsPerStage: 5               # ≥ 1
 *   stages: 3                      # 1–6
 * grid:                            # (default: the benchmark's; each key on its own too)
 *   lrs: [0.003125, …, 0.4]        # learning rates, finite and &gt; 0, distinct
 *   batchSizes: [16, …, 512]       # ≥ 1, distinct
 *   seeds: [222, 555, 888]         # distinct
 * schedules:                       # at least one; a cell may appear in several
 *   - epochs: 12                   # the schedule length T, ≥ 1
 *     cells: representatives       # all | representatives | long-schedule
 *   - epochs: 200                  #   | a list of cellcodes ['0|10|210', …] or architecture strings
 *     cells: long-schedule         #   | {random: N, seed: S} (N distinct classes) | {operations: [OP, …]}
 * resources:                       # (default: none, the job's Spark settings decide)
 *   threadsPerTask: 1              # (default 1) CPU threads per run
 *   gpusPerTask: 1                 # (default 0 = CPU) 1, or a share like 0.5 to pack 2 runs per GPU
 * </pre>
 *
 * <p>The spec stands for a set of runs ({@link #expand}): every selected cell class × learning rate ×
 * batch size × seed, for each schedule. Lists are sets — their order changes neither the runs nor
 * {@link #specHash()}.
 *
 * @param name one line naming the benchmark
 * @param data the data and the subset sizes
 * @param output the absolute URI runs are written under
 * @param space the cells' operations, in digit order
 * @param network the network around the cells, and its family
 * @param grid learning rates, batch sizes and seeds
 * @param schedules at least one, distinct
 * @param resources what each run asks of an executor; empty: the job's Spark configuration decides
 */
public record BenchmarkSpec(String name, DataSpec data, URI output, SearchSpace space, NetworkShape network,
        GridSpec grid, List<Schedule> schedules, Optional<Resources> resources) {

    public static final int MAX_NAME_LENGTH = 200;
    /** First line of {@link #canonicalText()}; bump it when the rendering changes. */
    static final String CANONICAL_FORMAT = "nashpo-spec-1";

    public BenchmarkSpec {
        Objects.requireNonNull(name, "name");
        Rules.require("name", Rules.name(name));
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(output, "output");
        Rules.require("output", Rules.absolute(output));
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(network, "network");
        if (network.dataset() != data.dataset()) {
            throw new IllegalArgumentException("network: is a network on " + network.dataset() + ", the data is "
                    + data.dataset());
        }
        Objects.requireNonNull(grid, "grid");
        schedules = List.copyOf(schedules);
        Rules.require("schedules", Rules.notEmpty(schedules));
        Rules.requireDistinct("schedules", schedules);
        for (int i = 0; i < schedules.size(); i++) {
            Rules.require("schedules[" + i + "].cells", schedules.get(i).cells().problemIn(space));
        }
        Objects.requireNonNull(resources, "resources");
    }

    /**
     * Reads a spec file; relative paths in it resolve against its directory.
     *
     * @throws SpecException with every problem, if the spec is not valid
     * @throws IOException if the file cannot be read (or is not UTF-8)
     */
    public static BenchmarkSpec read(Path file) throws IOException {
        return parse(Files.readString(file), file.toAbsolutePath().toUri());
    }

    /**
     * Parses a spec's text.
     *
     * @param location the spec file's own absolute URI (e.g. {@code file:/specs/tiny.yaml} or
     *     {@code hdfs://nn/specs/x.yaml}): relative paths resolve against its directory
     * @throws SpecException with every problem, if the spec is not valid
     */
    public static BenchmarkSpec parse(String yaml, URI location) {
        return parse(new StringReader(yaml), location);
    }

    /** As {@link #parse(String, URI)}, from a reader the caller closes. */
    public static BenchmarkSpec parse(Reader yaml, URI location) {
        return SpecReader.read(yaml, location);
    }

    /**
     * The protocol this spec's runs are trained under, given what the data directory holds: a size the
     * spec leaves out is all the data holds.
     *
     * @param dataChecksums input file name → checksum, as {@link TrainingProtocol} records them
     * @throws IllegalArgumentException naming the size, if the spec asks for more images than the data holds
     */
    public TrainingProtocol protocol(Map<String, String> dataChecksums, int trainAvailable, int validAvailable,
            int testAvailable) {
        return new TrainingProtocol(network,
                size("data.trainSize", data.trainSize(), trainAvailable),
                size("data.validSize", data.validSize(), validAvailable),
                size("data.testSize", data.testSize(), testAvailable),
                dataChecksums, data.split());
    }

    /**
     * The protocol as if the data were the whole official data set (for NAS-HPO-Bench-II's CIFAR-10 the
     * 25,000 / 25,000 split and 10,000 test images), for planning and synthetic runs that never read the data.
     */
    public TrainingProtocol protocolOnFullData(Map<String, String> dataChecksums) {
        DataSplit.Sizes full = data.split().sizes(data.dataset());
        return protocol(dataChecksums, full.train(), full.valid(), full.test());
    }

    private static int size(String path, OptionalInt requested, int available) {
        if (requested.isEmpty()) {
            return available;
        }
        int n = requested.getAsInt();
        if (n > available) {
            throw new IllegalArgumentException(path + ": " + n + " images requested, but the data holds "
                    + available);
        }
        return n;
    }

    /**
     * Every run of this spec: one per canonical cell class × learning rate × batch size × seed, for each
     * schedule; a run selected by two schedules of the same length appears once. Ordered by epochs, then
     * the class's representative, learning rate, batch size and seed — the same order for the same spec,
     * whatever the order of its lists.
     *
     * @param protocol the protocol the runs are trained under (see {@link #protocol}); its network and
     *     the sizes the spec names must be the spec's
     */
    public List<RunKey> expand(TrainingProtocol protocol) {
        requireMatches(protocol);
        String protocolId = protocol.id();
        SortedMap<Integer, Set<CellClass>> classesByEpochs = new TreeMap<>();
        for (Schedule schedule : schedules) {
            classesByEpochs.computeIfAbsent(schedule.epochs(),
                    e -> new TreeSet<>(Comparator.comparing(CellClass::representative)))
                    .addAll(schedule.cells().classes(space));
        }
        List<RunKey> keys = new ArrayList<>();
        classesByEpochs.forEach((epochs, classes) -> {
            for (CellClass cls : classes) {
                for (double lr : grid.lrs()) {
                    for (int batchSize : grid.batchSizes()) {
                        for (int seed : grid.seeds()) {
                            keys.add(new RunKey(protocolId, cls.id(), cls.representative(), lr, batchSize, seed,
                                    epochs));
                        }
                    }
                }
            }
        });
        return List.copyOf(keys);
    }

    private void requireMatches(TrainingProtocol protocol) {
        if (!protocol.network().equals(network)) {
            throw new IllegalArgumentException("protocol network " + protocol.network()
                    + " is not the spec's network " + network);
        }
        if (protocol.split() != data.split()) {
            throw new IllegalArgumentException("protocol split " + protocol.split() + " is not the spec's "
                    + data.split());
        }
        requireSize("data.trainSize", data.trainSize(), protocol.trainSize());
        requireSize("data.validSize", data.validSize(), protocol.validSize());
        requireSize("data.testSize", data.testSize(), protocol.testSize());
    }

    private static void requireSize(String path, OptionalInt spec, int protocol) {
        if (spec.isPresent() && spec.getAsInt() != protocol) {
            throw new IllegalArgumentException(path + ": the spec says " + spec.getAsInt()
                    + " but the protocol uses " + protocol);
        }
    }

    /**
     * The spec as one text: defaults filled in, locations resolved, lists and schedules sorted, one
     * {@code key: value} per line. Two files that mean the same runs in the same places render the same,
     * however their keys are ordered, indented or commented.
     */
    public String canonicalText() {
        List<String> lines = new ArrayList<>();
        lines.add(CANONICAL_FORMAT);
        lines.add("name: " + name);
        lines.add("data.uri: " + data.uri());
        // NAS-HPO-Bench-II's CIFAR-10, the default, is left unsaid: every older spec keeps its hash
        if (!data.isNasHpoBench2()) {
            lines.add("data.dataset: " + data.dataset().specName());
            lines.add("data.split: " + data.split().specName());
        }
        lines.add("data.trainSize: " + sizeText(data.trainSize()));
        lines.add("data.validSize: " + sizeText(data.validSize()));
        lines.add("data.testSize: " + sizeText(data.testSize()));
        lines.add("output: " + output);
        lines.add("network: " + network.width() + "/" + network.cellsPerStage() + "/" + network.stages());
        // NAS-HPO-Bench-II's space and family, the defaults, are left unsaid: every older spec keeps its hash
        if (!NetworkFamily.isNasHpoBench2(space, network.family())) {
            lines.add("space: " + network.family().specName() + " " + space);
        }
        lines.add("grid.lrs: " + grid.lrs());
        lines.add("grid.batchSizes: " + grid.batchSizes());
        lines.add("grid.seeds: " + grid.seeds());
        schedules.stream().map(s -> "schedule: " + s.render(space)).sorted().forEach(lines::add);
        lines.add("resources: " + resources
                .map(r -> "{threadsPerTask: " + r.threadsPerTask() + ", gpusPerTask: " + r.gpusPerTask() + "}")
                .orElse("job default"));
        return String.join("\n", lines) + "\n";
    }

    private static String sizeText(OptionalInt size) {
        return size.isPresent() ? Integer.toString(size.getAsInt()) : "all";
    }

    /** 16 hex digits: the first 64 bits of the SHA-256 of {@link #canonicalText()}, for provenance. */
    public String specHash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalText().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
