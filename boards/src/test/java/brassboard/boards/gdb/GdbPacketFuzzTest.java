package brassboard.boards.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random packets, shaped like real ones, never make a command throw: each gets a reply (or resumes). */
class GdbPacketFuzzTest {
    private static final String[] HEADS = {"m", "M", "X", "g", "G", "p", "P", "Z0,", "z0,", "Z1,", "Z2,", "z2,", "Z3,", "Z4,",
        "H", "Hg", "Hc", "T", "c", "s", "C", "S", "vCont;", "vCont?", "q", "qRcmd,", "qXfer:features:read:target.xml:",
        "qThreadExtraInfo,", "qSupported:", "Q", "D", "?", "k", "vKill;", ""};
    private static final String ALPHABET = "0123456789abcdefABCDEFxyz,:;=-#$}*. \u0000\u00ff";

    @Test
    void randomPacketsAlwaysGetAnAnswer() throws Exception {
        Random random = new Random(14);
        try (Debugged d = GdbStubTest.ticker(1_000)) {
            for (int i = 0; i < 20_000; i++) {
                StringBuilder p = new StringBuilder(HEADS[random.nextInt(HEADS.length)]);
                int n = random.nextInt(24);
                for (int k = 0; k < n; k++) {
                    p.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
                String reply = d.stub.handle(p.toString()); // throws if a packet finds a hole
                assertThat(reply).as(p.toString()).isNotNull();
            }
        }
    }
}
