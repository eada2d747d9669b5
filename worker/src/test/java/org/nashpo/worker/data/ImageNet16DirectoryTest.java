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

/** ImageNet16's pickles as distributed, read into ImageNet16-120's images and divided as NAS-Bench-201 does. */
class ImageNet16DirectoryTest {

    static final Configuration CONF = new Configuration();

    @TempDir
    Path temp;

    /** Ten training files of 30 images and a validation file of 160, labels 1–150 in turn: 240 and 120 kept. */
    private Path written() {
        return OfficialFormats.imageNet16(temp.resolve("in16"), 30, 160, 7);
    }

    @Test
    void keepsTheImagesOfTheFirst120ClassesInFileOrderLabelledFromZero() {
        Path dir = written();
        ImageNet16Directory in16 = ImageNet16Directory.open(dir.toString(), CONF);

        // labels 1..150 over 300 training images: twice 1..120 kept, twice 121..150 dropped
        assertThat(in16.trainingRecords()).isEqualTo(240);
        assertThat(in16.testRecords()).isEqualTo(120 + 10);
        assertThat(in16.dataset()).isEqualTo(Dataset.IMAGENET16_120);
        assertThat(in16.checksums()).hasSize(11).containsKeys(ImageNet16Directory.TRAINING_FILES.toArray(String[]::new))
                .containsKey("val_data");
        TrainingData all = in16.load(Split.of(Dataset.IMAGENET16_120, DataSplit.NAS_BENCH_201),
                new Subset(240, 60, 59));
        Images train = (Images) all.train();
        // the 121st image kept is the 151st of the files: label 1 again, in train_data_batch_6
        assertThat(train.label(0)).isZero();
        assertThat(train.label(119)).isEqualTo(119);
        assertThat(train.label(120)).isZero();
        byte[] file = TestData.bytes(dir.resolve("train_data_batch_6"));
        byte[] expected = Arrays.copyOfRange(pixelsOf(file, 30), 0, 768);
        byte[] actual = new byte[768];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    actual[(c * 16 + y) * 16 + x] = (byte) train.pixel(120, c, y, x);
                }
            }
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(all.checksums()).containsKeys("val_data", "train_data_batch_1", "imagenet-16-120-test-split.txt")
                .containsEntry("imagenet-16-120-test-split.txt", "670c7749b090d2e937e20d10e811be22")
                .containsEntry("val_data", TestData.md5(TestData.bytes(dir.resolve("val_data"))));
    }

    /** The raw image bytes of a pickle written by {@link OfficialFormats}: its only BINSTRING of images × 768. */
    private static byte[] pixelsOf(byte[] pickle, int images) {
        int length = images * 768;
        for (int i = 0; i + 5 < pickle.length; i++) {
            if (pickle[i] == 'T' && readInt(pickle, i + 1) == length) {
                return Arrays.copyOfRange(pickle, i + 5, i + 5 + length);
            }
        }
        throw new AssertionError("no raw image bytes in the pickle");
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    @Test
    void validAndTestAreTheSplitFilesHalvesOfTheValidationImages() {
        ImageNet16Directory in16 = ImageNet16Directory.open(written().toString(), CONF);
        Split split = Split.of(Dataset.IMAGENET16_120, DataSplit.NAS_BENCH_201);
        // of x-valid and x-test, the indices below the 130 images held
        Subset available = split.available(in16.trainingRecords(), in16.testRecords());
        assertThat(available.train()).isEqualTo(240);
        assertThat(available.valid() + available.test()).isEqualTo(130);
        TrainingData data = in16.load(split, available);
        Images valid = (Images) data.valid();
        Images test = (Images) data.test();
        // x-valid starts 1, 2, 3, 6; x-test 0, 4, 5: image i of val_data is label i % 150
        assertThat(valid.label(0)).isEqualTo(1);
        assertThat(valid.label(3)).isEqualTo(6);
        assertThat(test.label(0)).isEqualTo(0);
        assertThat(test.label(1)).isEqualTo(4);
        // the validation file's images 120..129 are labels 121..130 (dropped), then 1..10 again
        assertThat(split.validIndex(available.valid() - 1)).isLessThan(130);
    }

    @Test
    void aTruncatedFileIsRefusedByName() throws IOException {
        Path dir = written();
        Path file = dir.resolve("train_data_batch_3");
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 100));

        assertThatThrownBy(() -> ImageNet16Directory.open(dir.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessage("ImageNet16 file " + uri(file) + " is not a complete pickle of ImageNet16's layout (it "
                        + "ends after " + (whole.length - 100) + " bytes, before the pickle does: truncated)");
    }

    @Test
    void aFileOfAnotherFormatIsRefusedByName() throws IOException {
        Path dir = written();
        Path file = dir.resolve("val_data");
        Files.write(file, OfficialFormats.cifar100Records(2, r -> r, 1));

        assertThatThrownBy(() -> ImageNet16Directory.open(dir.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("ImageNet16 file " + uri(file) + " is not a complete pickle of ImageNet16's "
                        + "layout (");
    }

    @Test
    void aPickleOfOtherContentIsRefusedSayingWhatIsWrong() throws IOException {
        Path dir = written();
        Path file = dir.resolve("train_data_batch_1");
        byte[] pickle = OfficialFormats.imageNet16Pickle(new byte[2 * 768], new int[] {5, 1001});
        Files.write(file, pickle);
        assertThatThrownBy(() -> ImageNet16Directory.open(dir.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessage("ImageNet16 file " + uri(file) + ": label 1001 of image 1 (0-based) is not 1–1000");

        Files.write(file, NumpyPicklesTest.resource("py3-protocol4.pkl"));
        assertThat(ImageNet16Directory.open(dir.toString(), CONF).trainingRecords()).isEqualTo(240 - 30 + 3);
    }

    @Test
    void missingFilesAreAllNamedAtOnce() throws IOException {
        Path dir = written();
        Files.delete(dir.resolve("train_data_batch_10"));
        Files.delete(dir.resolve("val_data"));

        assertThatThrownBy(() -> ImageNet16Directory.open(dir.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("ImageNet16 directory " + uri(dir) + " is not usable: file "
                        + uri(dir.resolve("train_data_batch_10")) + " is missing; file " + uri(dir.resolve("val_data"))
                        + " is missing; it must hold train_data_batch_1, ");
    }

    @Test
    void anMd5MismatchNamesTheFileAndBothSums() throws IOException {
        Path dir = written();
        String actual = TestData.md5(TestData.bytes(dir.resolve("val_data")));
        Files.writeString(dir.resolve("MD5SUMS"), "3410e3017fdaefba8d5073aaa65e4bd6  val_data\n");

        assertThatThrownBy(() -> ImageNet16Directory.open(dir.toString(), CONF))
                .isInstanceOf(DataException.class)
                .hasMessage("file " + uri(dir.resolve("val_data")) + " has md5 " + actual + " but "
                        + uri(dir.resolve("MD5SUMS")) + " expects 3410e3017fdaefba8d5073aaa65e4bd6");
    }

    @Test
    void aSubsetBeyondTheImagesSaysHowManyAreAvailable() {
        ImageNet16Directory in16 = ImageNet16Directory.open(written().toString(), CONF);
        assertThatThrownBy(() -> in16.load(Split.of(Dataset.IMAGENET16_120, DataSplit.NAS_BENCH_201),
                new Subset(241, 1, 1)))
                .isInstanceOf(DataException.class)
                .hasMessage("train size 241 needs training image 240 (0-based) but " + uri(temp.resolve("in16"))
                        + " holds 240 training images; at most 240 train images are available there");
    }
}
