package org.nashpo.worker.engine;

import org.nashpo.core.space.SearchSpace;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nashpo.core.space.CellCode;
import org.nashpo.core.network.NetworkShape;
import org.nd4j.linalg.api.buffer.DataType;

class LayoutTest {

    private record Touch(String key, long perImage, int first, int last) {
    }

    @Test
    void arraysAliveAtTheSameTimeNeverShareMemory() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            List<Touch> touches = new ArrayList<>();
            Layout layout = new Layout();
            for (int i = 0; i < 30; i++) {
                int first = random.nextInt(40);
                Touch t = new Touch("a" + i, 1 + random.nextInt(100), first, first + random.nextInt(10));
                touches.add(t);
                layout.touch(t.key(), t.perImage(), t.first());
                layout.touch(t.key(), t.perImage(), t.last());
            }
            layout.place();
            for (Touch a : touches) {
                assertThat(layout.offset(a.key()) % 16).isZero();
                assertThat(layout.offset(a.key()) + a.perImage()).isLessThanOrEqualTo(layout.perImage());
                for (Touch b : touches) {
                    boolean together = a != b && a.first() <= b.last() && b.first() <= a.last();
                    boolean shared = layout.offset(a.key()) < layout.offset(b.key()) + b.perImage()
                            && layout.offset(b.key()) < layout.offset(a.key()) + a.perImage();
                    assertThat(together && shared).as("%s and %s", a, b).isFalse();
                }
            }
        }
    }

    @Test
    void arraysThatNeverMeetShareMemory() {
        Layout layout = new Layout();
        layout.touch("x", 64, 0);
        layout.touch("x", 64, 1);
        layout.touch("y", 64, 2);
        layout.touch("z", 32, 1);
        layout.place();
        assertThat(layout.offset("y")).isEqualTo(layout.offset("x"));
        assertThat(layout.perImage()).isEqualTo(96);
        assertThat(layout.unsharedPerImage()).isEqualTo(160);
    }

    @Test
    void theNetworksStepNeedsFarLessThanAnArrayPerActivationAndGradient() {
        try (CellEngine engine = new CellEngine(SearchSpace.NAS_HPO_BENCH_2.parse("0|00|000"), new NetworkShape(16, 5, 3), DataType.FLOAT,
                8)) {
            long[] bytes = engine.activationBytes();
            assertThat(bytes[0]).isLessThan(bytes[1] * 6 / 10);
        }
    }
}
