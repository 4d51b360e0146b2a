package brassboard.devices.storage.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.usb.Descriptor;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.block.MemoryBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both bridges enumerate with exactly the descriptors of the field note's {@code lsusb -v} dumps
 * (shared/seeds/004, kept as test resources): every field of the device, configuration, interface,
 * endpoint and device qualifier descriptors, the strings as lsusb prints them, and the device status,
 * read back over EHCI as a host reads them.
 */
class BridgeDescriptorsTest {
    private static AtaDisk disk() {
        return new AtaDisk(new MemoryBackend(2048));
    }

    @Test
    void superTopAnswersEveryFieldOfItsDump() throws Exception {
        BridgeHost h = new BridgeHost(host -> new SuperTop("supertop", disk(), host.sched)).enumerate();
        List<String> dump = LsusbDump.parse("supertop-lsusb.txt");
        assertThat(dump).as("the dump parses into its fields").hasSize(14 + 8 + 9 + 2 * 6 + 8 + 1)
                .contains("Device.idVendor=" + 0x14cd, "Device.bcdDevice=" + 0x0201, "Device.iSerial=2 ??????????",
                        "Device.iProduct=3 USB 2.0  IDE DEVICE", "Configuration.bmAttributes=" + 0xc0,
                        "Configuration.MaxPower=2", "Endpoint.wMaxPacketSize=512");
        assertThat(LsusbDump.read(h.host, BridgeHost.ADDR)).containsExactlyElementsOf(dump);
    }

    @Test
    void jmicronAnswersEveryFieldOfItsDump() throws Exception {
        BridgeHost h = new BridgeHost(host -> new JMicron("jmicron", disk(), host.sched)).enumerate();
        List<String> dump = LsusbDump.parse("jmicron-lsusb.txt");
        assertThat(dump).hasSize(14 + 8 + 9 + 2 * 6 + 8 + 1)
                .contains("Device.idVendor=" + 0x152d, "Device.idProduct=" + 0x2338, "Device.bcdDevice=" + 0x0100,
                        "Device.iSerial=5 8020A4C30450", "Configuration.iConfiguration=4 USB Mass Storage",
                        "Interface.iInterface=6 MSC Bulk-Only Transfer");
        assertThat(LsusbDump.read(h.host, BridgeHost.ADDR)).containsExactlyElementsOf(dump);
    }

    @Test
    void stringsNotInTheDumpAreAbsentAndTheOtherSpeedConfigurationHas64BytePackets() {
        BridgeHost h = new BridgeHost(host -> new JMicron("jmicron", disk(), host.sched)).enumerate();
        assertThat(h.host.control(BridgeHost.ADDR, 0x80, 6, Descriptor.STRING << 8 | 3, 0x409, 255))
                .as("JMicron string 3 is named by nothing: stalls").isNull();
        assertThat(h.host.control(BridgeHost.ADDR, 0x80, 6, Descriptor.STRING << 8 | 7, 0x409, 255)).isNull();
        assertThat(h.host.control(BridgeHost.ADDR, 0x80, 6, Descriptor.OTHER_SPEED_CONFIGURATION << 8, 0, 255))
                .containsExactly(BridgeHost.hex("09 07 2000 01 01 04 c0 01  09 04 00 00 02 08 06 50 06"
                        + "  07 05 81 02 4000 00  07 05 02 02 4000 00"));
        BridgeHost s = new BridgeHost(host -> new SuperTop("supertop", disk(), host.sched)).enumerate();
        assertThat(s.host.control(BridgeHost.ADDR, 0x80, 6, Descriptor.STRING << 8 | 4, 0x409, 255)).isNull();
        // The serial's code units are U+FFFF (assumed), which lsusb can only print as '?'.
        assertThat(s.host.control(BridgeHost.ADDR, 0x80, 6, Descriptor.STRING << 8 | 2, 0x409, 255))
                .hasSize(22).startsWith(0x16, 3, 0xFF, 0xFF);
    }
}
