package brassboard.devices.storage.bridge;

import static brassboard.devices.storage.bridge.BridgeHost.rw10;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.usb.DeviceState;
import brassboard.bus.usb.ehci.Ehci;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.ata.AtaIdentity;
import brassboard.devices.storage.ata.AtaTiming;
import brassboard.devices.storage.ata.BadSectors;
import brassboard.devices.storage.block.MemoryBackend;
import brassboard.devices.storage.bot.Csw;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The Super Top 14cd:6600 behind EHCI: its INQUIRY, the wrong CSW residue Linux's
 * US_FL_IGNORE_RESIDUE entry is for, its older command set, its medium-error sense without the
 * LBA, and the controller bug: a pattern in a WRITE's data or a byte threshold wedges the firmware
 * and the device drops off the bus (PORTSC CCS cleared, CSC set), and returns after a delay.
 */
class SuperTopTest {
    static final AtaIdentity SAMSUNG = new AtaIdentity("SAMSUNG SP1614N", "S016J10X123456", "TM100-24");
    private static final int SECTORS = 4096;

    private final MemoryBackend backend = new MemoryBackend(SECTORS);
    private final BadSectors medium = new BadSectors(50_000_000L);

    private BridgeHost plug(WedgeTrigger trigger) {
        AtaDisk disk = new AtaDisk(backend, SAMSUNG, medium, AtaTiming.NONE);
        return new BridgeHost(host -> new SuperTop("supertop", disk, trigger, host.sched));
    }

    private static byte[] sense(BridgeHost h) {
        return h.requestSense();
    }

    private static void assertSense(byte[] s, int key, int asc, int ascq) {
        assertThat(s[2] & 0x0F).as("sense key").isEqualTo(key);
        assertThat(s[12] & 0xFF).as("ASC").isEqualTo(asc);
        assertThat(s[13] & 0xFF).as("ASCQ").isEqualTo(ascq);
    }

    @Test
    void inquiryNamesTheDiskAndTheResidueOfFirmwareAnsweredCommandsIsWrong() {
        BridgeHost h = plug(WedgeTrigger.NONE).ready();
        byte[] inq = h.in(36, new byte[] {0x12, 0, 0, 0, 36, 0});
        assertThat(inq[0]).as("direct access").isZero();
        assertThat(inq[2]).as("VERSION 0 (assumed)").isZero();
        assertThat(inq[3]).as("response data format 1").isEqualTo((byte) 1);
        assertThat(new String(inq, 8, 28, StandardCharsets.US_ASCII)).isEqualTo("SAMSUNG SP1614N         0-24");
        assertThat(h.lastCsw.residue()).as("all 36 bytes went out, yet the CSW says none did").isEqualTo(36);

        byte[] cap = h.in(8, new byte[] {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThat(cap).containsExactly(0, 0, 0x0F, (byte) 0xFF, 0, 0, 2, 0);
        assertThat(h.lastCsw.residue()).isEqualTo(8);

        h.in(2 * 512, rw10(0x28, 0, 2));
        assertThat(h.lastCsw.residue()).as("the ATA data path reports its residue right").isZero();
        h.command(512, true, rw10(0x28, 0, 0));
        assertThat(h.lastCsw.residue()).as("a READ of 0 blocks moves nothing: residue is the whole").isEqualTo(512);
    }

    @Test
    void commandsOfTheNewerSetAreInvalidOperationCodes() {
        BridgeHost h = plug(WedgeTrigger.NONE).ready();
        byte[][] unsupported = {
            {(byte) 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0}, // REPORT LUNS
            {(byte) 0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0}, // READ CAPACITY (16)
            {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // SYNCHRONIZE CACHE (10)
            {0x5A, 0, 0x3F, 0, 0, 0, 0, 0, (byte) 192, 0}, // MODE SENSE (10)
            {(byte) 0x85, 0x08, 0x0E, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, (byte) 0xEC, 0}, // ATA PASS-THROUGH (16) IDENTIFY
            {(byte) 0xA1, 0x08, 0x0E, 0, 1, 0, 0, 0, 0, (byte) 0xEC, 0, 0}, // ATA PASS-THROUGH (12)
            {(byte) 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, // READ (16)
        };
        for (byte[] cdb : unsupported) {
            int length = cdb[0] == 0x35 ? 0 : 512;
            h.command(length, true, cdb);
            assertThat(h.lastCsw.status()).as("%02x", cdb[0]).isEqualTo(Csw.Status.COMMAND_FAILED);
            assertSense(sense(h), 0x5, 0x20, 0x00);
        }
    }

    @Test
    void modeSenseAllPagesHasNoPagesAndTheCachingPageIsRefused() {
        BridgeHost h = plug(WedgeTrigger.NONE).ready();
        byte[] all = h.in(192, new byte[] {0x1A, 0, 0x3F, 0, (byte) 192, 0});
        assertThat(all[0]).as("mode data length: header and block descriptor only").isEqualTo((byte) 11);
        assertThat(all[3]).as("block descriptor length").isEqualTo((byte) 8);
        assertThat(Arrays.copyOfRange(all, 12, 192)).containsOnly(0);
        h.command(192, true, new byte[] {0x1A, 0, 0x08, 0, (byte) 192, 0});
        assertThat(h.lastCsw.status()).isEqualTo(Csw.Status.COMMAND_FAILED);
        assertSense(sense(h), 0x5, 0x24, 0x00);
    }

    @Test
    void writesAndReadsGoToTheDisk() {
        BridgeHost h = plug(WedgeTrigger.NONE).ready();
        byte[] data = pattern(4 * 512, 7);
        assertThat(h.out(rw10(0x2A, 300, 4), data).status()).isEqualTo(Csw.Status.COMMAND_PASSED);
        assertThat(h.lastCsw.residue()).isZero();
        byte[] onDisk = new byte[data.length];
        backend.read(300, 4, onDisk, 0);
        assertThat(onDisk).isEqualTo(data);
        assertThat(h.in(data.length, rw10(0x28, 300, 4))).isEqualTo(data);
    }

    @Test
    void aMediumErrorReportsKeyAndCodeButNotTheLba() {
        medium.addUnreadable(100, 100);
        BridgeHost h = plug(WedgeTrigger.NONE).ready();
        long before = h.host.sched.now();
        byte[] got = h.command(8 * 512, true, rw10(0x28, 96, 8));
        assertThat(h.lastCsw.status()).isEqualTo(Csw.Status.COMMAND_FAILED);
        assertThat(h.host.sched.now() - before).as("the drive's retries take virtual time").isGreaterThanOrEqualTo(50_000_000L);
        byte[] s = sense(h);
        assertSense(s, 0x3, 0x11, 0x00);
        assertThat(s[0] & 0xFF).as("VALID clear: no INFORMATION (assumed, the older firmware)").isEqualTo(0x70);
        assertThat(Arrays.copyOfRange(s, 3, 7)).containsOnly(0);
        byte[] good = new byte[4 * 512];
        backend.read(96, 4, good, 0);
        assertThat(Arrays.copyOf(got, 4 * 512)).as("the sectors before the bad one were sent").isEqualTo(good);
        assertThat(medium.counts().pending()).isEqualTo(1);
    }

    @Test
    void aPatternInTheWrittenDataWedgesTheFirmwareAndTheDeviceDropsOffTheBus() {
        byte[] magic = BridgeHost.hex("DEADBEEF0BADF00D");
        BridgeHost h = plug(WedgeTrigger.onPattern(magic)).ready();
        SuperTop st = (SuperTop) h.bridge;
        // A write without the pattern goes through; the pattern split across two packets does not.
        assertThat(h.out(rw10(0x2A, 10, 2), pattern(1024, 1)).status()).isEqualTo(Csw.Status.COMMAND_PASSED);
        assertThat(st.written()).isEqualTo(1024);
        byte[] data = pattern(8 * 512, 3);
        System.arraycopy(magic, 0, data, 3 * 512 - 4, magic.length); // 4 bytes in packet 3, 4 in packet 4
        h.host.reg(Ehci.USBSTS, Ehci.STS_PCD); // clear the change bit from the start
        assertThat(h.sendCbw(data.length, false, rw10(0x2A, 200, 8)) & 0x40).isZero();
        int status = h.host.bulkOut(BridgeHost.ADDR, UsbAtaBridge.BULK_OUT, data);
        assertThat(status & 0x40).as("the data transfer never completes: it halts with the device gone").isNotZero();
        assertThat(st.wedged()).isTrue();
        int portsc = h.host.reg(Ehci.PORTSC);
        assertThat(portsc & Ehci.PORT_CCS).as("Current Connect Status cleared").isZero();
        assertThat(portsc & Ehci.PORT_CSC).as("Connect Status Change set").isNotZero();
        assertThat(portsc & Ehci.PORT_PED).as("port disabled").isZero();
        assertThat(h.host.reg(Ehci.USBSTS) & Ehci.STS_PCD).as("port change detect").isNotZero();
        assertThat(h.bridge.device().state()).isEqualTo(DeviceState.DETACHED);
        assertThat(h.csw()).as("no CSW").isNull();
        byte[] onDisk = new byte[data.length];
        backend.read(200, 8, onDisk, 0);
        assertThat(onDisk).as("the command never reached the disk").containsOnly(0);
        assertThat(st.written()).as("only the packets before the pattern's end were taken").isEqualTo(1024 + 3 * 512);
        h.host.sched.step(10_000_000_000L);
        assertThat(h.host.reg(Ehci.PORTSC) & Ehci.PORT_CCS).as("without return-after it stays gone").isZero();
    }

    @Test
    void aPatternBoundToASectorOffsetOnlyMatchesThere() {
        byte[] magic = BridgeHost.hex("55AA");
        BridgeHost h = plug(WedgeTrigger.onPattern(magic).atSectorOffset(510)).ready();
        byte[] elsewhere = pattern(2 * 512, 5);
        System.arraycopy(magic, 0, elsewhere, 100, 2);
        System.arraycopy(magic, 0, elsewhere, 512 + 509, 2);
        assertThat(h.out(rw10(0x2A, 0, 2), elsewhere).status()).isEqualTo(Csw.Status.COMMAND_PASSED);
        byte[] there = pattern(2 * 512, 5);
        System.arraycopy(magic, 0, there, 512 + 510, 2); // a boot-sector signature in the second sector
        h.sendCbw(there.length, false, rw10(0x2A, 0, 2));
        h.host.bulkOut(BridgeHost.ADDR, UsbAtaBridge.BULK_OUT, there);
        assertThat(h.bridge.wedged()).isTrue();
        assertThat(h.host.reg(Ehci.PORTSC) & Ehci.PORT_CCS).isZero();
    }

    @Test
    void aByteThresholdWedgesItAndItReturnsAfterTheDelayForAFreshEnumeration() {
        WedgeTrigger t = WedgeTrigger.afterBytes(10 * 512).returningAfter(2_000_000_000L);
        BridgeHost h = plug(t).ready();
        SuperTop st = (SuperTop) h.bridge;
        assertThat(h.out(rw10(0x2A, 0, 8), pattern(8 * 512, 2)).status()).isEqualTo(Csw.Status.COMMAND_PASSED);
        h.sendCbw(8 * 512, false, rw10(0x2A, 8, 8));
        h.host.bulkOut(BridgeHost.ADDR, UsbAtaBridge.BULK_OUT, pattern(8 * 512, 4));
        assertThat(st.wedged()).isTrue();
        assertThat(st.written()).as("exactly the threshold was taken").isEqualTo(10 * 512);
        long wedgedAt = h.host.sched.now();
        assertThat(h.host.reg(Ehci.PORTSC) & Ehci.PORT_CCS).isZero();
        h.host.reg(Ehci.PORTSC, Ehci.PORT_CSC); // the driver acknowledges the disconnect
        h.host.sched.step(1_000_000_000L);
        assertThat(h.host.reg(Ehci.PORTSC) & (Ehci.PORT_CCS | Ehci.PORT_CSC)).as("still gone after 1 s").isZero();
        h.host.sched.step(wedgedAt + 2_000_000_000L - h.host.sched.now());
        int portsc = h.host.reg(Ehci.PORTSC);
        assertThat(portsc & Ehci.PORT_CCS).as("back after 2 s").isNotZero();
        assertThat(portsc & Ehci.PORT_CSC).isNotZero();
        assertThat(st.wedged()).isFalse();
        assertThat(st.written()).isZero();
        assertThat(h.bridge.device().state()).as("it waits for a port reset").isEqualTo(DeviceState.POWERED);
        h.host.resetPortAndRun(0);
        h.enumerate();
        h.command(0, true, new byte[6]);
        assertThat(h.lastCsw.status()).as("the power-on unit attention").isEqualTo(Csw.Status.COMMAND_FAILED);
        assertSense(sense(h), 0x6, 0x29, 0x00);
        assertThat(h.out(rw10(0x2A, 8, 8), pattern(8 * 512, 4)).status()).isEqualTo(Csw.Status.COMMAND_PASSED);
        assertThat(st.wedges()).isEqualTo(1);
    }

    @Test
    void wedgeForcesItWhenIdle() {
        BridgeHost h = plug(WedgeTrigger.NONE).ready();
        h.bridge.wedge();
        h.host.sched.step(1);
        assertThat(h.host.reg(Ehci.PORTSC) & Ehci.PORT_CCS).isZero();
        assertThat(h.bridge.wedged()).isTrue();
        h.bridge.wedge(); // a second time does nothing
        assertThat(h.bridge.wedges()).isEqualTo(1);
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed * 7 + i / 512);
        }
        return b;
    }
}
