package org.nashpo.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nashpo.worker.data.TestData.RECORD;
import static org.nashpo.worker.data.TestData.uri;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.nashpo.core.data.Dataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarDirectoryTest {

    static final Configuration CONF = new Configuration();
    static final Path MINI = TestData.miniDirectory();
    /** Everything the mini set can supply (README.md there). */
    static final Subset MINI_ALL = new Subset(2022, 1978, 1000);

    static TrainingData mini;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadMini() {
        mini = CifarDirectory.open(MINI.toString(), CONF).load(Split.standard(), MINI_ALL);
    }

    // --- the mini set ---

    @Test
    void countsTheMiniSetsRecords() {
        CifarDirectory dir = CifarDirectory.open(MINI.toString(), CONF);
        assertThat(dir.trainingRecords()).isEqualTo(4000);
        assertThat(dir.testRecords()).isEqualTo(1000);
        assertThat(dir.uri()).isEqualTo(URI.create("file://" + MINI));
    }

    @Test
    void trainAndValidAreTheFirstSplitIndicesWithTheFilesLabelsAndPixels() {
        byte[] raw = TestData.bytes(MINI.resolve("data_batch_1.bin"));
        assertImagesAre(cifar(mini.train()), raw, TestData.splitList(Split.TRAIN_FILE));
        assertImagesAre(cifar(mini.valid()), raw, TestData.splitList(Split.VALID_FILE));
    }

    @Test
    void testImagesAreTheFirstRecordsOfTheTestFile() {
        byte[] raw = TestData.bytes(MINI.resolve("test_batch.bin"));
        assertImagesAre(cifar(mini.test()), raw, TestData.range(0, 1000));
        assertThat(cifar(mini.test()).label(0)).isEqualTo(3); // the first CIFAR-10 test image is a cat
    }

    /** Image i of {@code images} is record {@code records[i]} of {@code raw}: every label, sampled pixels. */
    static void assertImagesAre(Images images, byte[] raw, int[] records) {
        for (int i = 0; i < images.size(); i++) {
            int offset = records[i] * RECORD;
            assertThat(images.label(i)).as("label of image %d (record %d)", i, records[i]).isEqualTo((int) raw[offset]);
            for (int c = 0; c < 3; c++) {
                int y = (i * 7 + c) % 32;
                int x = (i * 13 + 5 * c) % 32;
                assertThat(images.pixel(i, c, y, x)).as("pixel %d/%d/%d of image %d", c, y, x, i)
                        .isEqualTo(raw[offset + 1 + c * 1024 + y * 32 + x] & 0xFF);
            }
        }
    }

    @Test
    void checksumsAreThoseInMd5sumsAndOfTheSplitFiles() {
        assertThat(mini.checksums())
                .containsAllEntriesOf(TestData.manifest(MINI.resolve("MD5SUMS")))
                .containsEntry("split-train.txt", "e2bc8bb45097edbf2079123dfc856277")
                .containsEntry("split-valid.txt", "e883d0e2a0ae24cceb4a0bf362b29909")
                .hasSize(8);
        assertThat(mini.directory()).isEqualTo(URI.create("file://" + MINI));
    }

    @Test
    void aSmallSubsetIsThePrefixOfTheLargerOne() {
        TrainingData small = CifarDirectory.open(MINI.toString(), CONF).load(Split.standard(), new Subset(10, 20, 5));
        assertThat(small.subset()).isEqualTo(new Subset(10, 20, 5));
        assertPrefix(cifar(small.train()), cifar(mini.train()), 10);
        assertPrefix(cifar(small.valid()), cifar(mini.valid()), 20);
        assertPrefix(cifar(small.test()), cifar(mini.test()), 5);
        assertThat(small.checksums()).isEqualTo(mini.checksums());
    }

    static void assertPrefix(Images prefix, Images whole, int size) {
        assertThat(prefix.size()).isEqualTo(size);
        for (int i = 0; i < size; i++) {
            assertThat(prefix.label(i)).isEqualTo(whole.label(i));
        }
        assertThat(prefix.pixels).isEqualTo(Arrays.copyOf(whole.pixels, size * Dataset.CIFAR10.imageBytes()));
    }

    @Test
    void aFileUriAndABarePathReadTheSame() {
        Path dir = TestData.smallDirectory(temp.resolve("cifar"));
        TrainingData bare = CifarDirectory.open(dir.toString(), CONF).load(Split.standard(), new Subset(1, 1, 3));
        TrainingData file = CifarDirectory.open(dir.toUri().toString(), CONF).load(Split.standard(), new Subset(1, 1, 3));
        assertThat(file.directory()).isEqualTo(bare.directory());
        assertThat(file.checksums()).isEqualTo(bare.checksums());
        assertThat(cifar(file.test()).pixels).isEqualTo(cifar(bare.test()).pixels);
    }

    @Test
    void aBarePathIsLocalEvenWhenTheDefaultFileSystemIsNot() {
        Path dir = TestData.smallDirectory(temp.resolve("cifar"));
        Configuration cluster = new Configuration();
        cluster.set("fs.defaultFS", "hdfs://no-such-namenode.invalid:8020");
        assertThat(CifarDirectory.open(dir.toString(), cluster).uri()).isEqualTo(URI.create("file://" + dir));
    }

    @Test
    void anEmptyBatchFileHoldsNoRecords() {
        Path dir = TestData.writeDirectory(temp.resolve("cifar"), new int[] {0, 3, 0, 0, 0}, 0);
        CifarDirectory cifar = CifarDirectory.open(dir.toString(), CONF);
        assertThat(cifar.trainingRecords()).isEqualTo(3);
        assertThat(cifar.testRecords()).isZero();
    }

    // --- subsets the data cannot supply ---

    @Test
    void aValidSubsetBeyondTheRecordsSaysHowManyAreAvailable() {
        CifarDirectory dir = CifarDirectory.open(MINI.toString(), CONF);
        assertThatThrownBy(() -> dir.load(Split.standard(), new Subset(10, 2000, 10)))
                .isInstanceOf(DataException.class)
                .hasMessage("valid size 2000 needs training image 4042 (0-based) but " + uri(MINI) + " holds 4000 "
                        + "training images; at most 1978 valid images are available there");
    }

    @Test
    void aTrainSubsetBeyondTheRecordsSaysHowManyAreAvailable() {
        CifarDirectory dir = CifarDirectory.open(MINI.toString(), CONF);
        assertThatThrownBy(() -> dir.load(Split.standard(), new Subset(2023, 10, 10)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("train size 2023 needs training image 4000 (0-based)")
                .hasMessageContaining(uri(MINI) + " holds 4000 training images")
                .hasMessageContaining("at most 2022 train images");
    }

    @Test
    void aTestSubsetBeyondTheRecordsSaysHowManyAreAvailable() {
        CifarDirectory dir = CifarDirectory.open(MINI.toString(), CONF);
        assertThatThrownBy(() -> dir.load(Split.standard(), new Subset(10, 10, 1001)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(uri(MINI.resolve("test_batch.bin")) + " holds 1000 test images")
                .hasMessageContaining("at most 1000 test images");
    }

    // --- a directory that is not usable ---

    @Test
    void aMissingDirectoryIsNamed() {
        Path missing = temp.resolve("nope");
        assertThatThrownBy(() -> CifarDirectory.open(missing.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessage("CIFAR-10 directory " + uri(missing) + " does not exist");
    }

    @Test
    void anEmptyDirectoryIsNamed() throws IOException {
        Path empty = Files.createDirectory(temp.resolve("empty"));
        assertThatThrownBy(() -> CifarDirectory.open(empty.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("CIFAR-10 directory " + uri(empty) + " is empty");
    }

    @Test
    void aFileInsteadOfADirectoryIsNamed() throws IOException {
        Path file = Files.writeString(temp.resolve("cifar"), "x");
        assertThatThrownBy(() -> CifarDirectory.open(file.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessage("CIFAR-10 directory " + uri(file) + " is not a directory");
    }

    @Test
    void aMissingBatchFileIsNamed() throws IOException {
        Path dir = TestData.smallDirectory(temp.resolve("cifar"));
        Files.delete(dir.resolve("data_batch_4.bin"));
        assertThatThrownBy(() -> CifarDirectory.open(dir.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("batch file " + uri(dir.resolve("data_batch_4.bin")) + " is missing");
    }

    @Test
    void aTruncatedFileIsNamedWithItsSizeAndRemainder() throws IOException {
        Path dir = TestData.smallDirectory(temp.resolve("cifar"));
        Files.write(dir.resolve("data_batch_2.bin"), TestData.batch(3, r -> 0, 1));
        truncate(dir.resolve("data_batch_2.bin"), 3 * RECORD - 100);
        assertThatThrownBy(() -> CifarDirectory.open(dir.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("batch file " + uri(dir.resolve("data_batch_2.bin")) + " is 9119 bytes, "
                        + "not a multiple of the 3073-byte record (remainder 2973");
    }

    @Test
    void everyLayoutProblemIsReportedAtOnce() throws IOException {
        Path dir = TestData.smallDirectory(temp.resolve("cifar"));
        Files.write(dir.resolve("test_batch.bin"), new byte[2 * RECORD + 1]);
        Files.delete(dir.resolve("data_batch_5.bin"));
        assertThatThrownBy(() -> CifarDirectory.open(dir.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(uri(dir.resolve("data_batch_5.bin")) + " is missing")
                .hasMessageContaining(uri(dir.resolve("test_batch.bin")) + " is 6147 bytes")
                .hasMessageContaining("(remainder 1");
    }

    @Test
    void aFileTruncatedAfterOpeningIsNamed() throws IOException {
        Path dir = TestData.smallDirectory(temp.resolve("cifar"));
        CifarDirectory cifar = CifarDirectory.open(dir.toString(), CONF);
        truncate(dir.resolve("data_batch_1.bin"), 4 * RECORD);
        assertThatThrownBy(() -> cifar.load(Split.standard(), new Subset(1, 1, 1)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("batch file " + uri(dir.resolve("data_batch_1.bin")) + " is shorter than the 30730 bytes");
    }

    @Test
    void aLabelOutside0To9IsNamedWithItsRecord() throws IOException {
        Path dir = TestData.smallDirectory(temp.resolve("cifar"));
        Files.write(dir.resolve("data_batch_2.bin"), TestData.batch(20, r -> r == 17 ? 12 : 3, 2));
        CifarDirectory cifar = CifarDirectory.open(dir.toString(), CONF);
        assertThatThrownBy(() -> cifar.load(Split.standard(), new Subset(1, 1, 1)))
                .isInstanceOf(DataException.class)
                .hasMessage("batch file " + uri(dir.resolve("data_batch_2.bin")) + ": label 12 at record 17 (0-based); "
                        + "CIFAR-10 labels are 0–9");
    }

    @Test
    void aBadLabelInTheTestFileIsFoundBeyondTheSubset() throws IOException {
        Path dir = TestData.smallDirectory(temp.resolve("cifar"));
        Files.write(dir.resolve("test_batch.bin"), TestData.batch(3, r -> r == 2 ? 255 : 1, 2));
        CifarDirectory cifar = CifarDirectory.open(dir.toString(), CONF);
        assertThatThrownBy(() -> cifar.load(Split.standard(), new Subset(1, 1, 1)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(uri(dir.resolve("test_batch.bin")) + ": label 255 at record 2");
    }

    // --- MD5SUMS ---

    @Test
    void anMd5MismatchNamesTheFileAndBothSums() throws IOException {
        Path dir = TestData.smallDirectory(temp.resolve("cifar"));
        String actual = TestData.md5(Files.readAllBytes(dir.resolve("test_batch.bin")));
        String wrong = "0123456789abcdef0123456789abcdef";
        Files.writeString(dir.resolve("MD5SUMS"), manifestLine(dir, "data_batch_1.bin") + wrong + "  test_batch.bin\n");
        CifarDirectory cifar = CifarDirectory.open(dir.toString(), CONF);
        assertThatThrownBy(() -> cifar.load(Split.standard(), new Subset(1, 1, 1)))
                .isInstanceOf(DataException.class)
                .hasMessage("file " + uri(dir.resolve("test_batch.bin")) + " has md5 " + actual + " but "
                        + uri(dir.resolve("MD5SUMS")) + " expects " + wrong);
    }

    @Test
    void aCorrectManifestIsAcceptedAndMayListOtherFiles() throws IOException {
        Path dir = TestData.smallDirectory(temp.resolve("cifar"));
        Files.writeString(dir.resolve("batches.meta.txt"), "airplane\n");
        Files.writeString(dir.resolve("MD5SUMS"), manifestLine(dir, "data_batch_1.bin")
                + TestData.md5(Files.readAllBytes(dir.resolve("batches.meta.txt"))) + " *batches.meta.txt\n");
        TrainingData data = CifarDirectory.open(dir.toString(), CONF).load(Split.standard(), new Subset(1, 1, 1));
        assertThat(data.checksums()).containsEntry("data_batch_1.bin",
                TestData.md5(Files.readAllBytes(dir.resolve("data_batch_1.bin"))));
    }

    @Test
    void anotherListedFileIsVerifiedToo() throws IOException {
        Path dir = TestData.smallDirectory(temp.resolve("cifar"));
        Files.writeString(dir.resolve("batches.meta.txt"), "airplane\n");
        Files.writeString(dir.resolve("MD5SUMS"), "0123456789abcdef0123456789abcdef  batches.meta.txt\n");
        CifarDirectory cifar = CifarDirectory.open(dir.toString(), CONF);
        assertThatThrownBy(() -> cifar.load(Split.standard(), new Subset(1, 1, 1)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("file " + uri(dir.resolve("batches.meta.txt")) + " has md5 ");
    }

    @Test
    void aMalformedManifestOrOneListingAMissingFileIsRejectedOnOpening() throws IOException {
        Path dir = TestData.smallDirectory(temp.resolve("cifar"));
        Files.writeString(dir.resolve("MD5SUMS"), "not a checksum line\n"
                + "0123456789abcdef0123456789abcdef  data_batch_9.bin\n");
        assertThatThrownBy(() -> CifarDirectory.open(dir.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(uri(dir.resolve("MD5SUMS")) + " line 1 is not '<md5 hex>  <file name>'")
                .hasMessageContaining("lists " + uri(dir.resolve("data_batch_9.bin")) + ", which is missing");
    }

    static String manifestLine(Path dir, String name) throws IOException {
        return TestData.md5(Files.readAllBytes(dir.resolve(name))) + "  " + name + "\n";
    }

    static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** The loader's image sets are CIFAR-10 images in their byte layout. */
    static Images cifar(ImageSet images) {
        return (Images) images;
    }
}
