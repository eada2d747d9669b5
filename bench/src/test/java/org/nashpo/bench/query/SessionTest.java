package org.nashpo.bench.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nashpo.bench.HandBuiltBenchmark;

/** The original API's log, kept per optimizer run. */
class SessionTest {

    private static Benchmark bench;

    @BeforeAll
    static void open() {
        bench = HandBuiltBenchmark.open();
    }

    @Test
    void logsEveryShortQueryWithRunningTotalAndBestSoFar() {
        Session session = bench.newSession();
        // 96, 100 and 110 are one cell with HP pairs 0, 4 and 14: in the hand-built benchmark accuracy
        // grows with the HP pair far more than with the seed or the epoch
        double a1 = session.query(100, Mode.VALID, 12, 222);
        double a2 = session.query(96, Mode.VALID, 12, 555);
        double a3 = session.query(110, Mode.VALID, 3, 888);

        assertThat(session.size()).isEqualTo(3);
        assertThat(a3).isGreaterThan(a1);
        assertThat(a1).isGreaterThan(a2);
        assertThat(session.totalCost()).isEqualTo(bench.cost(100, Mode.VALID, 12, 222)
                + bench.cost(96, Mode.VALID, 12, 555) + bench.cost(110, Mode.VALID, 3, 888));
        assertThat(session.log()).extracting(LogEntry::bestConfigIndex).containsExactly(100, 100, 110);
        assertThat(session.entry(1)).isEqualTo(new LogEntry(96, Mode.VALID, 12, 555, a2,
                bench.cost(96, Mode.VALID, 12, 555), bench.cost(100, Mode.VALID, 12, 222)
                        + bench.cost(96, Mode.VALID, 12, 555), 100, a1));
        assertThat(session.bestConfigIndex()).isEqualTo(110);
        assertThat(session.bestAccuracy()).isEqualTo(a3);
    }

    @Test
    void aTieKeepsTheFirstBest() {
        Session session = bench.newSession();
        session.query(100, Mode.VALID, 12, 222);
        // the same query again ties; HP pair 0 of the same cell is worse
        session.query(100, Mode.VALID, 12, 222);
        session.query(96, Mode.VALID, 12, 222);

        assertThat(session.log()).extracting(LogEntry::bestConfigIndex).containsExactly(100, 100, 100);
    }

    @Test
    void longQueriesAreAnsweredButNeitherLoggedNorCharged() {
        Session session = bench.newSession();

        Answer a = session.query(Query.of(bench.configuration(100)).withEpoch(200));
        session.query(Query.of(bench.configuration(100)).withIepoch(2));

        assertThat(a.accuracy()).isEqualTo(bench.longAccuracy(100));
        assertThat(session.size()).isEqualTo(1);
        assertThat(session.totalCost()).isEqualTo(bench.cost(100, Mode.VALID, 2, 222));
    }

    @Test
    void resultIsTheBestConfigurationsTestAccuraciesWithItsSeed() {
        Session session = bench.newSession();
        session.query(100, Mode.VALID, 12, 222);
        session.query(110, Mode.VALID, 6, 888);
        session.query(98, Mode.VALID, 12, 555);

        SessionResult r = session.result();

        assertThat(r.configIndex()).isEqualTo(110);
        assertThat(r.seed()).isEqualTo(888);
        assertThat(r.searchAccuracy()).isEqualTo(bench.accuracy(110, Mode.VALID, 6, 888));
        assertThat(r.testAccuracy12()).isEqualTo(bench.accuracy(110, Mode.TEST, 12, 888));
        assertThat(r.testAccuracy200()).isEqualTo(bench.longAccuracy(110));
        assertThat(r.queries()).isEqualTo(3);
        assertThat(r.totalCost()).isEqualTo(session.totalCost());
    }

    @Test
    void resetForgetsEverythingAndAnEmptySessionHasNoResult() {
        Session session = bench.newSession();
        for (int i = 0; i < 200; i++) {
            session.query(i, Mode.TRAIN, 1, 222);
        }
        assertThat(session.size()).isEqualTo(200);

        session.reset();

        assertThat(session.size()).isZero();
        assertThat(session.totalCost()).isZero();
        assertThat(session.bestConfigIndex()).isEqualTo(-1);
        assertThatThrownBy(session::result).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no queries");
    }
}
