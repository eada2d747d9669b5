package org.nashpo.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * ImageNet16's content as every protocol may have written it (src/test/python/imagenet16_pickles.py: five images
 * of pixel (7·i + 3·j) mod 256, labels 1, 120, 121, 1000, 7, and a float64 'mean' of 768).
 */
class NumpyPicklesTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = NumpyPicklesTest.class.getResourceAsStream("pickles/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"py2-protocol0.pkl", "py2-protocol2.pkl", "py3-protocol2.pkl", "py3-protocol4.pkl",
        "py3-protocol5.pkl"})
    void everyProtocolReadsAsTheArraysPythonWrote(String file) throws IOException {
        Object read = NumpyPickles.load(new ByteArrayInputStream(resource(file)));

        assertThat(read).isInstanceOf(Map.class);
        Map<?, ?> dict = (Map<?, ?>) read;
        assertThat(dict.keySet().stream().map(Object::toString).toList()).containsExactlyInAnyOrder("data", "labels",
                "mean");
        NumpyPickles.Array data = (NumpyPickles.Array) dict.get("data");
        assertThat(data.type()).isEqualTo("u1");
        assertThat(data.shape()).containsExactly(5, 768);
        assertThat(data.fortranOrder()).isFalse();
        byte[] expected = new byte[5 * 768];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 768; j++) {
                expected[i * 768 + j] = (byte) ((7 * i + 3 * j) % 256);
            }
        }
        assertThat(data.data()).isEqualTo(expected);
        assertThat(((List<?>) dict.get("labels")).stream().map(l -> ((Number) l).intValue()).toList())
                .containsExactly(1, 120, 121, 1000, 7);
        NumpyPickles.Array mean = (NumpyPickles.Array) dict.get("mean");
        assertThat(mean.type()).isEqualTo("f8");
        assertThat(mean.shape()).containsExactly(768);
        assertThat(mean.data()).hasSize(768 * 8);
    }

    @Test
    void anyOtherModuleIsReadAsDataNeverRun() throws IOException {
        // cos.system('true'): a pickle that would run a command in Python
        byte[] evil = "cos\nsystem\n(S'true'\ntR.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> NumpyPickles.load(new ByteArrayInputStream(evil)))
                .hasMessageContaining("os.system");
    }

    @Test
    void aTruncatedPickleIsAnError() throws IOException {
        byte[] whole = resource("py2-protocol2.pkl");
        assertThatThrownBy(() -> NumpyPickles.load(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length / 2))))
                .isInstanceOf(IOException.class);
    }
}
