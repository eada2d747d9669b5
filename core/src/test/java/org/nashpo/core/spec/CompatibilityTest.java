package org.nashpo.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nashpo.core.run.RunKey;
import org.nashpo.core.run.TrainingProtocol;
import org.nashpo.core.space.CellClass;
import org.nashpo.core.space.SearchSpace;

/**
 * What NAS-HPO-Bench-II's specs name stays byte-identical as the spaces grow: the figures below were computed by
 * the release before spaces were configurable (commit db6b8d5) — every example's spec hash, protocol id and the
 * digest of all its run keys (id, class id, cellcode), and the digest of the 1,011 classes. A change to any of
 * them would make every existing output look foreign to construct, aggregate and the benchmark.
 */
class CompatibilityTest {

    @ParameterizedTest
    @CsvSource({
        "tiny.yaml, 649ac095c6a31f65, 9d6aeae5417acb0b, 16, eafca7ea1f0de1c04469091f0cc287605dc7db2d65241c74a15bb3e1e5b9601d",
        "demo.yaml, 03df2201f006e139, eca7fe4436b41cbb, 80, 4fa5a30aabfddc332aa43111c16bb2f3fa97b76b1a830afaa6eb93c215afd455",
        "nas-hpo-bench-2.yaml, aa277df6a69dc157, f423c5ee860ab180, 159984, "
                + "7545b229d2df84e65cb7fc058f311443c9c7deeb1922a579ec96c447d55e92b9",
        "nas-hpo-bench-2-more-seeds.yaml, 6fcdf0811cefe852, f423c5ee860ab180, 266640, "
                + "148e8dff18d1dda9646084d780e140c7c6b0426e68e2093a9912191ba4493cfb",
    })
    void nasHpoBench2SpecsKeepTheirHashesProtocolsAndRunKeys(String example, String specHash, String protocolId,
            int runs, String keysDigest) throws IOException {
        String text = Files.readString(Examples.dir().resolve(example));
        BenchmarkSpec spec = BenchmarkSpec.parse(text, URI.create("file:/specs/team/" + example));
        TrainingProtocol protocol = spec.protocolOnFullData(Examples.CHECKSUMS);
        List<RunKey> keys = spec.expand(protocol);
        StringBuilder listing = new StringBuilder();
        for (RunKey k : keys) {
            listing.append(k.id()).append(' ').append(k.cellClassId()).append(' ').append(k.cellcode()).append('\n');
        }
        assertThat(spec.specHash()).isEqualTo(specHash);
        assertThat(protocol.id()).isEqualTo(protocolId);
        assertThat(keys).hasSize(runs);
        assertThat(sha256(listing.toString())).isEqualTo(keysDigest);
    }

    @Test
    void nasHpoBench2sClassesKeepTheirIdsRepresentativesAndMembers() {
        StringBuilder listing = new StringBuilder();
        for (CellClass c : SearchSpace.NAS_HPO_BENCH_2.classes()) {
            listing.append(c.id()).append(' ').append(c.representative()).append(' ').append(c.members()).append('\n');
        }
        assertThat(sha256(listing.toString()))
                .isEqualTo("2e568395078a6c902dd60b6991e84527a3946f030f022f328f12996071473e6e");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
