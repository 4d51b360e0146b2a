package brassboard.devices.wifi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The air: pcap in and out, the seeded generator, and frames reaching the ring only when the RF is on the channel. */
class AirTest {
    @TempDir
    Path dir;

    @Test
    void generatedFramesFollowTheDocumentedLayoutAndDependOnlyOnSeedAndNumber() {
        byte[] f = Air.frame(5000, 64, 9);
        assertThat(f).hasSize(64);
        assertThat(f[0]).isEqualTo((byte) 0x08);
        assertThat(f[1]).isEqualTo((byte) 0x02);
        assertThat(f[4]).isEqualTo((byte) 0xFF);
        assertThat(WifiBaseband.le16(f, 22)).isEqualTo((5000 % 4096) << 4);
        assertThat(WifiBaseband.le32(f, 32)).isEqualTo(5000);
        assertThat(f[30]).isEqualTo((byte) 0x88);
        assertThat(f[31]).isEqualTo((byte) 0xB5);
        assertThat(Air.frame(5000, 64, 9)).isEqualTo(f);
        assertThat(Air.frame(5000, 64, 10)).isNotEqualTo(f);
    }

    @Test
    void theGeneratorSpacesFramesExactlyAtItsRate() {
        Air.Traffic t = Air.generator(3, 40, 0, 4, 1000);
        long[] at = new long[5];
        for (int i = 0; i < 4; i++) {
            at[i] = t.nextArrivalNs();
            t.take();
        }
        at[4] = t.nextArrivalNs();
        assertThat(at).containsExactly(1000 + 333_333_333L, 1000 + 666_666_666L, 1000 + 1_000_000_000L, 1000 + 1_333_333_333L, Long.MAX_VALUE);
    }

    @Test
    void pcapWrittenIsReadBackWithNanosecondTimes() throws Exception {
        Path p = dir.resolve("tx.pcap");
        try (Pcap.Writer w = new Pcap.Writer(p)) {
            w.write(1_500_000_123L, new byte[] {1, 2, 3});
            w.write(2_000_000_000L, Air.frame(1, 100, 0));
        }
        List<Pcap.Frame> frames = Pcap.read(p);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).timeNs()).isEqualTo(1_500_000_123L);
        assertThat(frames.get(0).data()).containsExactly(1, 2, 3);
        assertThat(frames.get(1).data()).isEqualTo(Air.frame(1, 100, 0));
        ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(h.getInt(0)).isEqualTo(0xA1B23C4D);
        assertThat(h.getInt(20)).isEqualTo(105);
    }

    /** A big-endian microsecond pcap with radiotap headers, as some capture tools write. */
    @Test
    void radiotapRecordsLoseTheirHeaderAndMicrosecondBigEndianFilesAreRead() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer g = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
        g.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(127);
        out.write(g.array());
        byte[] radiotap = {0, 0, 8, 0, 0, 0, 0, 0};
        byte[] frame = Air.frame(0, 40, 0);
        ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        r.putInt(7).putInt(250).putInt(48).putInt(48);
        out.write(r.array());
        out.write(radiotap);
        out.write(frame);
        Path p = dir.resolve("rt.pcap");
        Files.write(p, out.toByteArray());
        List<Pcap.Frame> frames = Pcap.read(p);
        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.timeNs()).isEqualTo(7_000_250_000L);
            assertThat(f.data()).isEqualTo(frame);
        });
    }

    @Test
    void badFilesAreOneLineThatSaysWhatWasExpected() throws IOException {
        Path p = dir.resolve("bad.pcap");
        Files.write(p, new byte[] {0x0A, 0x0D, 0x0D, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThatThrownBy(() -> Pcap.read(p)).isInstanceOf(Pcap.FormatException.class)
                .hasMessageContaining("expected a classic libpcap file").hasMessageContaining("pcapng");
        ByteBuffer g = ByteBuffer.allocate(24 + 10).order(ByteOrder.LITTLE_ENDIAN);
        g.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        Files.write(p, g.array());
        assertThatThrownBy(() -> Pcap.read(p)).hasMessage("link type 1; expected 105 (IEEE 802.11) or 127 (802.11 with radiotap)");
        g.putInt(20, 105);
        Files.write(p, g.array());
        assertThatThrownBy(() -> Pcap.read(p)).hasMessageContaining("record 1 is cut short");
    }

    @Test
    void theAirDeliversOnlyWhileTheRfIsOnTheChannelAndTransmittedFramesGoToThePcap() throws Exception {
        Path tx = dir.resolve("out.pcap");
        WifiRig rig = new WifiRig(11, Air.generator(10_000, 128, 1, 100, 1_000_000), new Pcap.Writer(tx));
        Air air = rig.air;
        rig.booted();
        rig.step(2_000_000 - WifiBaseband.BOOT_NS); // t = 2 ms: 10 frames, nothing set up
        assertThat(air.framesOnAir()).isEqualTo(10);
        assertThat(air.framesDelivered()).isZero();
        rig.rxRing(64);
        rig.txRing(8);
        rig.tune(6); // the wrong channel
        rig.calibrate();
        rig.step(1_000_000 - WifiBaseband.BOOT_NS);
        assertThat(air.framesDelivered()).isZero();
        rig.tune(11);
        rig.calibrate();
        long t = rig.scheduler.now();
        rig.step(3_000_000);
        assertThat(air.framesDelivered()).isEqualTo(30);
        assertThat(rig.read(WifiBaseband.RFMISS)).isEqualTo(air.framesOnAir() - 30);
        long first = WifiBaseband.le32(rig.ramBytes(WifiRig.RX_BUFFERS + 32, 4), 0);
        assertThat(first).isEqualTo((t - 1_000_000 + 99_999) / 100_000 - 1); // the first frame after the calibration
        rig.ramLoad(WifiRig.TX_BUFFERS, Air.frame(77, 200, 5));
        rig.txDescriptor(0, WifiRig.TX_BUFFERS, 200, WifiBaseband.TDESC_CMD_EOP | WifiBaseband.TDESC_CMD_RS);
        rig.write(WifiBaseband.TDT, 1);
        rig.step(1_000_000);
        air.close();
        List<Pcap.Frame> out = Pcap.read(tx);
        assertThat(out).singleElement().satisfies(f -> {
            assertThat(f.data()).isEqualTo(Air.frame(77, 200, 5));
            assertThat(f.timeNs()).isEqualTo(rig.sentAt.get(0));
        });
        assertThat(air.framesTransmitted()).isEqualTo(1);
    }

    @Test
    void aRecordingArrivesAtItsRelativeTimes() {
        List<Pcap.Frame> frames = List.of(new Pcap.Frame(5_000_000_000L, new byte[] {1}), new Pcap.Frame(5_000_000_500L, new byte[] {2}),
                new Pcap.Frame(4_000_000_000L, new byte[] {3}));
        Air.Traffic t = Air.recording(frames, 100);
        assertThat(t.nextArrivalNs()).isEqualTo(100);
        assertThat(t.take()).containsExactly(1);
        assertThat(t.nextArrivalNs()).isEqualTo(600);
        t.take();
        assertThat(t.nextArrivalNs()).isEqualTo(600); // out of order: with the previous one
        t.take();
        assertThat(t.nextArrivalNs()).isEqualTo(Long.MAX_VALUE);
    }
}
