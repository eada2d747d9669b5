package org.nashpo.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nashpo.worker.data.TestData.uri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nashpo.core.data.DataSplit;
import org.nashpo.core.data.Dataset;

/** CIFAR-100's binary version, divided as NAS-Bench-201 divides it. */
class Cifar100DirectoryTest {

    static final Configuration CONF = new Configuration();

    @TempDir
    Path temp;

    @Test
    void trainIsEveryTrainingRecordAndValidAndTestTheSplitFilesHalvesOfTheTestRecords() {
        Path dir = OfficialFormats.cifar100(temp.resolve("c100"), 300, 200, 3);
        DataDirectory c100 = DataDirectory.open(Dataset.CIFAR100, dir.toString(), CONF);
        assertThat(c100).isInstanceOf(CifarDirectory.class);
        assertThat(c100.trainingRecords()).isEqualTo(300);
        assertThat(c100.testRecords()).isEqualTo(200);
        Split split = Split.of(Dataset.CIFAR100, DataSplit.NAS_BENCH_201);
        Subset available = split.available(300, 200);
        assertThat(available.train()).isEqualTo(300);
        assertThat(available.valid() + available.test()).isEqualTo(200);

        TrainingData data = c100.load(split, available);
        byte[] train = TestData.bytes(dir.resolve("train.bin"));
        byte[] test = TestData.bytes(dir.resolve("test.bin"));
        assertFineLabelsAndPixels((Images) data.train(), train, TestData.range(0, 300));
        int[] xvalid = new int[available.valid()];
        Arrays.setAll(xvalid, split::validIndex);
        int[] xtest = new int[available.test()];
        Arrays.setAll(xtest, split::testIndex);
        // cifar100-test-split.txt: x-valid starts 1, 3, 4, 5, 8; x-test 0, 2, 6, 7, 9
        assertThat(xvalid).startsWith(1, 3, 4, 5, 8);
        assertThat(xtest).startsWith(0, 2, 6, 7, 9);
        assertFineLabelsAndPixels((Images) data.valid(), test, xvalid);
        assertFineLabelsAndPixels((Images) data.test(), test, xtest);
        assertThat(data.checksums()).containsOnlyKeys("train.bin", "test.bin", "cifar100-test-split.txt")
                .containsEntry("train.bin", TestData.md5(train));
    }

    private static void assertFineLabelsAndPixels(Images images, byte[] file, int[] records) {
        assertThat(images.size()).isEqualTo(records.length);
        for (int i = 0; i < records.length; i++) {
            int at = records[i] * OfficialFormats.CIFAR100_RECORD;
            assertThat(images.label(i)).isEqualTo(file[at + 1]);
            assertThat(images.pixel(i, 2, 31, 31)).isEqualTo(file[at + 2 + 3071] & 0xFF);
            assertThat(images.pixel(i, 0, 0, 1)).isEqualTo(file[at + 3] & 0xFF);
        }
    }

    @Test
    void aTruncatedFileIsRefusedByNameWithItsSize() throws IOException {
        Path dir = OfficialFormats.cifar100(temp.resolve("c100"), 10, 10, 3);
        Path train = dir.resolve("train.bin");
        CifarDirectoryTest.truncate(train, 10L * 3074 - 1000);

        assertThatThrownBy(() -> DataDirectory.open(Dataset.CIFAR100, dir.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessage("CIFAR-100 directory " + uri(dir) + " is not usable: batch file " + uri(train) + " is "
                        + (10L * 3074 - 1000) + " bytes, not a multiple of the 3074-byte record (remainder 2074: "
                        + "truncated, or not a CIFAR-100 batch file?)");
    }

    @Test
    void cifar10sLayoutIsNotCifar100s() {
        Path cifar10 = TestData.smallDirectory(temp.resolve("c10"));
        assertThatThrownBy(() -> DataDirectory.open(Dataset.CIFAR100, cifar10.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("batch file " + uri(cifar10.resolve("train.bin")) + " is missing")
                .hasMessageContaining("batch file " + uri(cifar10.resolve("test.bin")) + " is missing");
    }

    @Test
    void coarseAndFineLabelsAreChecked() throws IOException {
        Path dir = OfficialFormats.cifar100(temp.resolve("c100"), 10, 10, 3);
        Path test = dir.resolve("test.bin");
        byte[] records = Files.readAllBytes(test);
        records[3 * 3074 + 1] = 100;
        Files.write(test, records);
        DataDirectory c100 = DataDirectory.open(Dataset.CIFAR100, dir.toString(), CONF);
        Split split = Split.of(Dataset.CIFAR100, DataSplit.NAS_BENCH_201);
        assertThatThrownBy(() -> c100.load(split, new Subset(10, 5, 5)))
                .isInstanceOf(DataException.class)
                .hasMessage("batch file " + uri(test) + ": fine label 100 at record 3 (0-based); CIFAR-100 fine "
                        + "labels are 0–99");
        records[3 * 3074 + 1] = 4;
        records[3 * 3074] = 20;
        Files.write(test, records);
        assertThatThrownBy(() -> DataDirectory.open(Dataset.CIFAR100, dir.toString(), CONF).load(split,
                new Subset(10, 5, 5)))
                .hasMessage("batch file " + uri(test) + ": coarse label 20 at record 3 (0-based); CIFAR-100 coarse "
                        + "labels are 0–19");
    }
}
