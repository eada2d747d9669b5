package org.nashpo.core.network;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.nashpo.core.space.SearchSpace;

/**
 * The networks built around a cell (docs/PROTOCOL.md §2): both families stack, on a 3×3 stem convolution and
 * BatchNorm, stages of identical cells joined by residual reduction blocks, and end with BatchNorm, ReLU,
 * global average pooling and a dense layer with bias. They differ where their authors' code does:
 *
 * <ul>
 *   <li>{@link #NAS_HPO_BENCH_2}: NAS-HPO-Bench-II's network ({@code yoichii/nashpobench2}): the stem
 *       convolution and the reduction blocks' three convolutions keep PyTorch's default bias, and average
 *       pooling counts padding in its divisor ({@code count_include_pad=True});
 *   <li>{@link #NAS_BENCH_201}: NAS-Bench-201's {@code TinyNetwork} (AutoDL-Projects
 *       {@code xautodl/models/cell_infers/tiny_network.py}, {@code cells.py}, {@code cell_operations.py}):
 *       every convolution without bias, average pooling that excludes padding
 *       ({@code count_include_pad=False}), and a zero operation ({@code x.mul(0.)}) that passes a zero gradient.
 * </ul>
 *
 * <p>A family fixes what {@link NetworkGraph} builds; cells hold the convolutions without bias in both.
 */
public enum NetworkFamily {
    NAS_HPO_BENCH_2("nas-hpo-bench-2", true, true, false, SearchSpace.NAS_HPO_BENCH_2),
    NAS_BENCH_201("nas-bench-201", false, false, true, SearchSpace.NAS_BENCH_201);

    private final String specName;
    private final boolean skeletonBias;
    private final boolean poolCountsPadding;
    private final boolean zeroEdgePassesGradient;
    private final SearchSpace space;

    NetworkFamily(String specName, boolean skeletonBias, boolean poolCountsPadding, boolean zeroEdgePassesGradient,
            SearchSpace space) {
        this.specName = specName;
        this.skeletonBias = skeletonBias;
        this.poolCountsPadding = poolCountsPadding;
        this.zeroEdgePassesGradient = zeroEdgePassesGradient;
        this.space = space;
    }

    /** How a spec names the family. */
    public String specName() {
        return specName;
    }

    /** Whether the stem convolution and the reduction blocks' convolutions have a bias. */
    public boolean skeletonBias() {
        return skeletonBias;
    }

    /** Whether a cell's average pooling counts the padding in its divisor. */
    public boolean poolCountsPadding() {
        return poolCountsPadding;
    }

    /**
     * Whether a zero edge passes a (zero) gradient back: NAS-Bench-201's zero operation is {@code x.mul(0.)}, so the
     * layers behind it get a zero gradient and SGD's weight decay and momentum still move them; NAS-HPO-Bench-II's
     * is {@code torch.zeros_like(x)}, which cuts them off, and SGD leaves them untouched. Outputs, losses and
     * accuracies are the same either way.
     */
    public boolean zeroEdgePassesGradient() {
        return zeroEdgePassesGradient;
    }

    /** The space the family's benchmark searches: its operations in its digit order. */
    public SearchSpace space() {
        return space;
    }

    /**
     * Whether a space and a family are NAS-HPO-Bench-II's own: what specs, manifests, records and outputs leave
     * unsaid, so that everything of NAS-HPO-Bench-II is as it was before spaces were configurable.
     */
    public static boolean isNasHpoBench2(SearchSpace space, NetworkFamily family) {
        return family == NAS_HPO_BENCH_2 && space.equals(SearchSpace.NAS_HPO_BENCH_2);
    }

    public static Optional<NetworkFamily> bySpecName(String name) {
        return Arrays.stream(values()).filter(f -> f.specName.equals(name)).findFirst();
    }

    public static List<String> specNames() {
        return Arrays.stream(values()).map(NetworkFamily::specName).toList();
    }

    @Override
    public String toString() {
        return specName;
    }
}
