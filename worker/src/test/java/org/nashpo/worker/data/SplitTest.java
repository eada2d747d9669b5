package org.nashpo.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

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
}
