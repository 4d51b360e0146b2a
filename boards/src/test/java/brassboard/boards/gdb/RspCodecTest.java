package brassboard.boards.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packet layer: framing, checksums, escapes, run lengths, acknowledgements and interrupts. */
class RspCodecTest {
    private final List<String> seen = new ArrayList<>();
    private final RspCodec.Decoder decoder = new RspCodec.Decoder(new RspCodec.Listener() {
        @Override
        public void packet(String payload) {
            seen.add("packet " + payload);
        }

        @Override
        public void badChecksum(String raw) {
            seen.add("bad " + raw);
        }

        @Override
        public void ack(boolean positive) {
            seen.add(positive ? "+" : "-");
        }

        @Override
        public void interrupt() {
            seen.add("interrupt");
        }
    });

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        decoder.accept(b, 0, b.length);
    }

    @Test
    void framesWithTheChecksumGdbComputes() {
        // from GDB's manual and a gdb-multiarch session: $g#67, $qC#b4, $vCont?#49
        assertThat(new String(RspCodec.frame("g"), StandardCharsets.ISO_8859_1)).isEqualTo("$g#67");
        assertThat(new String(RspCodec.frame("qC"), StandardCharsets.ISO_8859_1)).isEqualTo("$qC#b4");
        assertThat(new String(RspCodec.frame("vCont?"), StandardCharsets.ISO_8859_1)).isEqualTo("$vCont?#49");
        assertThat(new String(RspCodec.frame(""), StandardCharsets.ISO_8859_1)).isEqualTo("$#00");
        assertThat(RspCodec.checksum("OK")).isEqualTo(0x9a);
    }

    @Test
    void escapesTheFourSpecialBytesBothWays() {
        String payload = "a$b#c}d*e";
        String framed = new String(RspCodec.frame(payload), StandardCharsets.ISO_8859_1);
        assertThat(framed).startsWith("$a}\u0004b}\u0003c}]d}\ne#");
        feed(framed);
        assertThat(seen).containsExactly("packet " + payload);
    }

    @Test
    void decodesPacketsAcksAndInterruptsInOneStream() {
        feed("+$g#67-\u0003$m4001034c,4#8c+");
        assertThat(seen).containsExactly("+", "packet g", "-", "interrupt", "packet m4001034c,4", "+");
    }

    @Test
    void aWrongChecksumOrABadDigitIsReportedNotDelivered() {
        feed("$g#68$g#zz$g#6");
        feed("7");
        assertThat(seen).containsExactly("bad g", "bad g", "packet g");
    }

    @Test
    void checksumDigitsMayBeUpperCase() {
        feed("$qC#B4");
        assertThat(seen).containsExactly("packet qC");
    }

    @Test
    void runLengthEncodingIsExpanded() {
        // "0* " = '0' and 32 - 29 = 3 more: four zeros
        String body = "0* ";
        feed("$" + body + "#" + String.format("%02x", RspCodec.checksum(body)));
        assertThat(seen).containsExactly("packet 0000");
    }

    @Test
    void noiseBetweenPacketsIsIgnoredAndARestartedPacketWins() {
        feed("garbage$xy$qC#b4");
        assertThat(seen).containsExactly("packet qC");
    }

    @Test
    void anOverlongPacketIsRefused() {
        String body = "m".repeat(RspCodec.Decoder.MAX_PACKET * 2 + 10);
        feed("$" + body + "#" + String.format("%02x", RspCodec.checksum(body)));
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).startsWith("bad ")).as("refused").isTrue();
    }

    @Test
    void hexHelpers() {
        assertThat(RspCodec.hexLe(0x4001_0000L, 4)).isEqualTo("00000140");
        assertThat(RspCodec.unhexLe("00000140", 4)).isEqualTo(0x4001_0000L);
        assertThat(RspCodec.unhexLe("000001", 4)).isNull();
        assertThat(RspCodec.unhex("0g")).isNull();
        assertThat(RspCodec.unhex("abc")).isNull();
        assertThat(RspCodec.hex(new byte[] {0, (byte) 0xff, 0x10})).isEqualTo("00ff10");
        assertThat(RspCodec.number("4001034c")).isEqualTo(0x4001034cL);
        assertThat(RspCodec.number("")).isEqualTo(-1);
        assertThat(RspCodec.number("-1")).isEqualTo(-1);
        assertThat(RspCodec.number("12345678901234567")).isEqualTo(-1);
    }

    @Test
    void endpointsParseOrSayWhatWasExpected() {
        assertThat(GdbServer.Endpoint.parse("tcp::1234")).isEqualTo(new GdbServer.Endpoint("127.0.0.1", 1234));
        assertThat(GdbServer.Endpoint.parse("tcp:0.0.0.0:0")).isEqualTo(new GdbServer.Endpoint("0.0.0.0", 0));
        assertThat(GdbServer.Endpoint.parse("tcp:[::1]:99")).isEqualTo(new GdbServer.Endpoint("::1", 99));
        for (String bad : new String[] {"1234", "tcp:1234x", "tcp::", "tcp::70000", "tcp::-1", "udp::1234", "tcp"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> GdbServer.Endpoint.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected tcp::PORT or tcp:HOST:PORT");
        }
    }
}
