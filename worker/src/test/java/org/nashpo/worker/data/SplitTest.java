package org.nashpo.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;

class SplitTest {

    @Test
    void theStandardSplitIsTheShippedListsIn0BasedRecordIndices() {
        Split split = Split.standard();
        int[] train = TestData.splitList(Split.TRAIN_FILE);
        int[] valid = TestData.splitList(Split.VALID_FILE);
        assertThat(IntStream.range(0, Split.SIZE).map(split::trainIndex).toArray()).isEqualTo(train);
        assertThat(IntStream.range(0, Split.SIZE).map(split::validIndex).toArray()).isEqualTo(valid);
        assertThat(train).startsWith(0, 5, 7, 11);
        assertThat(valid).startsWith(1, 2, 3);
        // together they are the 50,000 training records, each once
        int[] all = IntStream.concat(Arrays.stream(train), Arrays.stream(valid)).sorted().toArray();
        assertThat(all).isEqualTo(TestData.range(0, 50_000));
        assertThat(split.checksums())
                .containsOnly(entry("split-train.txt", "e2bc8bb45097edbf2079123dfc856277"),
                        entry("split-valid.txt", "e883d0e2a0ae24cceb4a0bf362b29909"));
    }

    /** A valid split as text: evens train, odds valid. */
    static String[] lists() {
        String[] train = new String[Split.SIZE];
        String[] valid = new String[Split.SIZE];
        for (int i = 0; i < Split.SIZE; i++) {
            train[i] = Integer.toString(2 * i);
            valid[i] = Integer.toString(2 * i + 1);
        }
        return new String[] {String.join("\n", train) + "\n", String.join("\n", valid) + "\n"};
    }

    static Split parse(String train, String valid) {
        return Split.parse(train.getBytes(StandardCharsets.US_ASCII), valid.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void parsesWindowsLineEndsAndAMissingFinalNewline() {
        String[] lists = lists();
        Split split = parse(lists[0].replace("\n", "\r\n"), lists[1].strip());
        assertThat(split.trainIndex(24_999)).isEqualTo(49_998);
        assertThat(split.validIndex(24_999)).isEqualTo(49_999);
    }

    @Test
    void rejectsANonInteger() {
        String[] lists = lists();
        assertThatThrownBy(() -> parse(lists[0], lists[1].replaceFirst("\n199\n", "\n19x\n")))
                .isInstanceOf(DataException.class)
                .hasMessage("split-valid.txt line 100: '19x' is not an integer");
    }

    @Test
    void rejectsAnEmptyLine() {
        String[] lists = lists();
        assertThatThrownBy(() -> parse(lists[0].replaceFirst("\n2\n", "\n\n"), lists[1]))
                .isInstanceOf(DataException.class)
                .hasMessage("split-train.txt line 2: '' is not an integer");
    }

    @Test
    void rejectsADuplicate() {
        String[] lists = lists();
        assertThatThrownBy(() -> parse(lists[0].replaceFirst("\n4\n", "\n0\n"), lists[1]))
                .isInstanceOf(DataException.class)
                .hasMessage("split-train.txt line 3: index 0 appears twice");
    }

    @Test
    void rejectsListsThatOverlap() {
        String[] lists = lists();
        assertThatThrownBy(() -> parse(lists[0], lists[1].replaceFirst("\n9\n", "\n8\n")))
                .isInstanceOf(DataException.class)
                .hasMessage("split-valid.txt line 5: index 8 is also in split-train.txt; the split lists must be disjoint");
    }

    @Test
    void rejectsAWrongLength() {
        String[] lists = lists();
        assertThatThrownBy(() -> parse(lists[0], lists[1] + "50000\n"))
                .isInstanceOf(DataException.class)
                .hasMessage("split-valid.txt has 25001 indices, expected 25000");
        assertThatThrownBy(() -> parse(lists[0].substring(2), lists[1]))
                .isInstanceOf(DataException.class)
                .hasMessage("split-train.txt has 24999 indices, expected 25000");
    }

    @Test
    void rejectsAnIndexOutsideTheTrainingSet() {
        String[] lists = lists();
        assertThatThrownBy(() -> parse(lists[0].replaceFirst("^0\n", "50000\n"), lists[1]))
                .isInstanceOf(DataException.class)
                .hasMessage("split-train.txt line 1: index 50000 is outside 0–49999");
        assertThatThrownBy(() -> parse(lists[0].replaceFirst("^0\n", "-1\n"), lists[1]))
                .isInstanceOf(DataException.class)
                .hasMessage("split-train.txt line 1: index -1 is outside 0–49999");
    }

    // --- NAS-Bench-201's split files ---

    /** The first ten of each list, as AutoDL-Projects' funcs_nasbench.py asserts them; sizes and md5s as shipped. */
    @Test
    void nasBench201sSplitsAreItsFiles() {
        Split cifar10 = Split.of(Dataset.CIFAR10, DataSplit.NAS_BENCH_201);
        assertThat(IntStream.range(0, 10).map(cifar10::trainIndex).toArray())
                .containsExactly(0, 5, 7, 11, 13, 15, 16, 17, 20, 24);
        assertThat(IntStream.range(0, 10).map(cifar10::validIndex).toArray())
                .containsExactly(1, 2, 3, 4, 6, 8, 9, 10, 12, 14);
        assertThat(cifar10.available(50_000, 10_000)).isEqualTo(new Subset(25_000, 25_000, 10_000));
        assertThat(cifar10.checksums()).containsOnly(entry("cifar-split.txt", "2da7627956f17981dc0b841ab8385f37"));

        Split cifar100 = Split.of(Dataset.CIFAR100, DataSplit.NAS_BENCH_201);
        assertThat(IntStream.range(0, 10).map(cifar100::validIndex).toArray())
                .containsExactly(1, 3, 4, 5, 8, 10, 13, 14, 15, 16);
        assertThat(IntStream.range(0, 10).map(cifar100::testIndex).toArray())
                .containsExactly(0, 2, 6, 7, 9, 11, 12, 17, 20, 24);
        assertThat(cifar100.trainIndex(49_999)).isEqualTo(49_999);
        assertThat(cifar100.available(50_000, 10_000)).isEqualTo(new Subset(50_000, 5_000, 5_000));
        assertThat(cifar100.checksums())
                .containsOnly(entry("cifar100-test-split.txt", "16f51963f0ccd95cb6c08c33ca4c1665"));

        Split in16 = Split.of(Dataset.IMAGENET16_120, DataSplit.NAS_BENCH_201);
        assertThat(IntStream.range(0, 10).map(in16::validIndex).toArray())
                .containsExactly(1, 2, 3, 6, 7, 8, 9, 12, 16, 18);
        assertThat(IntStream.range(0, 10).map(in16::testIndex).toArray())
                .containsExactly(0, 4, 5, 10, 11, 13, 14, 15, 17, 20);
        assertThat(in16.available(151_700, 6_000)).isEqualTo(new Subset(151_700, 3_000, 3_000));
        assertThat(in16.checksums())
                .containsOnly(entry("imagenet-16-120-test-split.txt", "670c7749b090d2e937e20d10e811be22"));
        assertThatThrownBy(() -> Split.of(Dataset.CIFAR100, DataSplit.NAS_HPO_BENCH_2))
                .hasMessageContaining("divides cifar10 only");
    }

    /** cifar-split.txt is CPython's random.seed(1021) shuffle of 0..49,999 halved (exps/NAS-Bench-201/main.py). */
    @Test
    void cifarSplitIsNasBench201sSeededShuffle() {
        Split cifar10 = Split.of(Dataset.CIFAR10, DataSplit.NAS_BENCH_201);
        // the assertion in generate_meta_info
        assertThat(cifar10.trainIndex(10)).isEqualTo(26);
        assertThat(cifar10.trainIndex(111)).isEqualTo(203);
        assertThat(cifar10.validIndex(10)).isEqualTo(18);
        assertThat(cifar10.validIndex(111)).isEqualTo(242);
    }

    @Test
    void aSplitFileMustBeSortedDisjointAndCovering() {
        assertThat(Split.parseLists("f", json("[\"0\", \"3\"]", "[\"1\", \"2\"]"), 4, "a", "b").get("b"))
                .containsExactly(1, 2);
        assertThatThrownBy(() -> Split.parseLists("f", json("[\"3\", \"0\"]", "[\"1\", \"2\"]"), 4, "a", "b"))
                .isInstanceOf(DataException.class).hasMessage("f a[1]: index 0 does not follow 3; the lists are "
                        + "sorted without repeats");
        assertThatThrownBy(() -> Split.parseLists("f", json("[\"0\", \"1\"]", "[\"1\", \"2\"]"), 4, "a", "b"))
                .hasMessage("f b[0]: index 1 is also in a; the lists must be disjoint");
        assertThatThrownBy(() -> Split.parseLists("f", json("[\"0\"]", "[\"1\", \"2\"]"), 4, "a", "b"))
                .hasMessage("f: index 3 is in neither list; together they must hold every index of 0–3");
        assertThatThrownBy(() -> Split.parseLists("f", json("[\"0\", \"4\"]", "[\"1\", \"2\"]"), 4, "a", "b"))
                .hasMessage("f a[1]: index 4 is outside 0–3");
        assertThatThrownBy(() -> Split.parseLists("f", "{\"a\": [\"int\", []]}".getBytes(StandardCharsets.US_ASCII),
                4, "a", "b")).hasMessage("f holds the lists [a], expected [a, b]");
    }

    private static byte[] json(String a, String b) {
        return ("{\"a\": [\"int\", " + a + "], \"b\": [\"int\", " + b + "]}").getBytes(StandardCharsets.US_ASCII);
    }
}
