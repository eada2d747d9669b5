package org.nashpo.worker.data;

import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import org.nashpo.core.data.Dataset;

/**
 * Keeps, of the images a directory's files hold, those of a run's subset: each image read is handed to
 * {@link #accept} with the files it is in ({@link Split.Source}) and its index there, and lands in the train,
 * valid or test set at its position in the split, or is dropped. Made only after {@link #require} found every
 * index the subset needs among the images the files hold.
 */
final class Collector {

    private final Dataset dataset;
    private final Subset subset;
    /** Per source, per image index: the set (0 train, 1 valid, 2 test) and position it goes to, or -1. */
    private final int[][] set = new int[2][];
    private final int[][] position = new int[2][];
    private final byte[][] pixels;
    private final byte[][] labels;

    Collector(Split split, Subset subset, long trainingImages, long testImages) {
        this.dataset = split.dataset();
        this.subset = subset;
        long[] images = {trainingImages, testImages};
        for (int s = 0; s < 2; s++) {
            set[s] = new int[Math.toIntExact(images[s])];
            position[s] = new int[set[s].length];
            Arrays.fill(set[s], -1);
        }
        int[] sizes = {subset.train(), subset.valid(), subset.test()};
        Split.Part[] parts = {split.train, split.valid, split.test};
        pixels = new byte[3][];
        labels = new byte[3][];
        for (int p = 0; p < 3; p++) {
            pixels[p] = new byte[Math.multiplyExact(sizes[p], dataset.imageBytes())];
            labels[p] = new byte[sizes[p]];
            int source = parts[p].source().ordinal();
            for (int i = 0; i < sizes[p]; i++) {
                int index = parts[p].indices() == null ? i : parts[p].indices()[i];
                set[source][index] = p;
                position[source][index] = i;
            }
        }
    }

    /**
     * Fails, saying what is possible, when a set's first {@code size} indices reach past the images its files
     * hold ({@code trainingFiles} and {@code testFiles} say where those are, for the message).
     */
    static void require(Split split, Subset subset, long trainingImages, long testImages, String trainingFiles,
            String testFiles) {
        Subset available = split.available(trainingImages, testImages);
        int[] asked = {subset.train(), subset.valid(), subset.test()};
        int[] possible = {available.train(), available.valid(), available.test()};
        String[] names = {"train", "valid", "test"};
        Split.Part[] parts = {split.train, split.valid, split.test};
        for (int p = 0; p < 3; p++) {
            if (asked[p] > possible[p]) {
                Split.Part part = parts[p];
                long needed = part.indices() == null ? asked[p] - 1L
                        : Arrays.stream(part.indices(), 0, Math.min(asked[p], part.indices().length)).max().orElse(0);
                String files = part.source() == Split.Source.TRAINING ? "training" : "test";
                long held = part.source() == Split.Source.TRAINING ? trainingImages : testImages;
                String where = part.source() == Split.Source.TRAINING ? trainingFiles : testFiles;
                throw new DataException(names[p] + " size " + asked[p] + " needs " + files + " image " + needed
                        + " (0-based) but " + where + " holds " + held + " " + files + " images; at most "
                        + possible[p] + " " + names[p] + " images are available there");
            }
        }
    }

    /** One image of the files: kept if the subset has it. {@code label} is the class, 0 to classes − 1. */
    void accept(Split.Source source, int index, int label, byte[] buffer, int offset) {
        int s = source.ordinal();
        int p = set[s][index];
        if (p >= 0) {
            int i = position[s][index];
            labels[p][i] = (byte) label;
            System.arraycopy(buffer, offset, pixels[p], i * dataset.imageBytes(), dataset.imageBytes());
        }
    }

    TrainingData build(URI directory, Map<String, String> checksums) {
        return new TrainingData(directory, subset, new Images(dataset, pixels[0], labels[0]),
                new Images(dataset, pixels[1], labels[1]), new Images(dataset, pixels[2], labels[2]), checksums);
    }
}
