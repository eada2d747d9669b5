package org.nashpo.worker.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The tests' own writer of ImageNet16's pickles writes what Python writes. */
class OfficialFormatsTest {

    /**
     * src/test/python/imagenet16_pickles.py wrote py2-writer.pkl with Python's own pickler, emulating Python 2's
     * str and numpy 1.x's reduction, and checked that numpy reads it back: three images of pixel (11·i + j) mod 256,
     * labels 1, 120, 121.
     */
    @Test
    void theImageNet16PickleIsByteForByteWhatPythonWrites() throws IOException {
        byte[] data = new byte[3 * 768];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 768; j++) {
                data[i * 768 + j] = (byte) ((11 * i + j) % 256);
            }
        }
        byte[] python;
        try (InputStream in = OfficialFormatsTest.class.getResourceAsStream("pickles/py2-writer.pkl")) {
            python = in.readAllBytes();
        }
        assertThat(OfficialFormats.imageNet16Pickle(data, new int[] {1, 120, 121})).isEqualTo(python);
    }
}
