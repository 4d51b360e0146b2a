package brassboard.boards.hostusb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.bus.usb.Descriptor;
import brassboard.bus.usb.DescriptorSet;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.block.MemoryBackend;
import brassboard.devices.storage.bridge.BridgeHost;
import brassboard.devices.storage.bridge.JMicron;
import brassboard.devices.storage.bridge.LsusbDump;
import brassboard.devices.storage.bridge.SuperTop;
import brassboard.devices.storage.bridge.WedgeTrigger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code usb capture} without a USB device: usb4java's device descriptor and the GET_DESCRIPTOR
 * answers filled from the field note's {@code lsusb -v} dumps of the Super Top and JMicron bridges,
 * captured, written as YAML, loaded into the bridge models, and read back over EHCI as a host
 * enumerates them: every field equals the dump.
 */
class CaptureRoundTripTest {
    private static AtaDisk disk() {
        return new AtaDisk(new MemoryBackend(2048));
    }

    private static DescriptorSet viaYaml(DescriptorSet set) throws Exception {
        String yaml = DescriptorYaml.write(set, List.of("test"));
        return DescriptorYaml.parse(yaml, "device.yaml");
    }

    @Test
    void theSuperTopsDumpCapturesToItsModelsDescriptorsAndRoundTripsOverEhci() throws Exception {
        LsusbSource dump = new LsusbSource("supertop-lsusb.txt");
        DescriptorCapture.Result r = DescriptorCapture.capture(dump);
        assertThat(r.skipped()).isEmpty();
        DescriptorSet captured = r.descriptors();
        DescriptorSet model = SuperTop.descriptors();
        assertThat(captured.device()).isEqualTo(model.device());
        assertThat(captured.configurations().get(0).bytes()).isEqualTo(model.configurations().get(0).bytes());
        assertThat(captured.qualifier()).isEqualTo(model.qualifier());
        assertThat(captured.strings()).containsExactly("Super Top", "??????????", "USB 2.0  IDE DEVICE");
        assertThat(captured.otherSpeedConfigurations()).as("not in the dump: stalled").isEmpty();
        assertThat(dump.requests).as("what a host asks, in order").containsExactly("2/0/0", "6/0/0", "7/0/0", "3/0/0",
                "3/1/409", "3/2/409", "3/3/409");

        DescriptorSet loaded = viaYaml(captured);
        BridgeHost h = new BridgeHost(host -> new SuperTop("supertop", disk(), WedgeTrigger.NONE, host.sched, loaded)).enumerate();
        assertThat(LsusbDump.read(h.host, BridgeHost.ADDR)).containsExactlyElementsOf(LsusbDump.parse("supertop-lsusb.txt"));
    }

    @Test
    void theJmicronsDumpRoundTripsWithItsUnnamedStringThreeAbsent() throws Exception {
        DescriptorSet captured = DescriptorCapture.capture(new LsusbSource("jmicron-lsusb.txt")).descriptors();
        DescriptorSet model = JMicron.descriptors();
        assertThat(captured.device()).isEqualTo(model.device());
        assertThat(captured.strings()).isEqualTo(model.strings());
        assertThat(captured.configurations().get(0).bytes()).isEqualTo(model.configurations().get(0).bytes());

        DescriptorSet loaded = viaYaml(captured);
        BridgeHost h = new BridgeHost(host -> new JMicron("jmicron", disk(), host.sched, loaded)).enumerate();
        assertThat(LsusbDump.read(h.host, BridgeHost.ADDR)).containsExactlyElementsOf(LsusbDump.parse("jmicron-lsusb.txt"));
        assertThat(h.host.control(BridgeHost.ADDR, 0x80, 6, Descriptor.STRING << 8 | 3, 0x409, 255)).as("string 3 stalls").isNull();
    }

    @Test
    void theModelsOwnDescriptorsSurviveYamlWithTheSerialsCodeUnitsAndTheOtherSpeedConfiguration() throws Exception {
        for (DescriptorSet model : List.of(SuperTop.descriptors(), JMicron.descriptors())) {
            String yaml = DescriptorYaml.write(model, List.of());
            DescriptorSet back = DescriptorYaml.parse(yaml, "device.yaml");
            assertThat(DescriptorYaml.write(back, List.of())).isEqualTo(yaml);
            assertThat(back.device()).isEqualTo(model.device());
            assertThat(back.strings()).isEqualTo(model.strings());
            assertThat(back.otherSpeedConfigurations()).hasSize(1);
            assertThat(back.otherSpeedConfigurations().get(0).bytes()).isEqualTo(model.otherSpeedConfigurations().get(0).bytes());
        }
        assertThat(DescriptorYaml.write(SuperTop.descriptors(), List.of()))
                .contains("  2: \"\\uffff\\uffff\\uffff\\uffff\\uffff\\uffff\\uffff\\uffff\\uffff\\uffff\"\n")
                .contains("  idVendor: 0x14cd\n").contains("    bmAttributes: 0xc0\n").contains("    bMaxPower: 1  # 2 mA\n")
                .contains("          - {bEndpointAddress: 0x81, bmAttributes: 0x02, wMaxPacketSize: 512, bInterval: 0}\n");
    }

    @Test
    void classSpecificDescriptorsAreNamedAsLeftOut() {
        byte[] hid = LsusbSource.hex("09 02 22 00 01 01 00 a0 32  09 04 00 00 01 03 01 02 00  09 21 11 01 00 01 22 34 00"
                + "  07 05 81 03 08 00 0a");
        RawDescriptors.ConfigurationRead c = RawDescriptors.configuration(hid, Descriptor.CONFIGURATION);
        assertThat(c.configuration().interfaces().get(0).endpoints()).hasSize(1);
        assertThat(c.skipped()).containsExactly("descriptor type 21h (9 bytes) at byte 18");
        assertThatThrownBy(() -> RawDescriptors.configuration(LsusbSource.hex("09 02 40 00 01 01 00 80 32"), Descriptor.CONFIGURATION))
                .hasMessage("configuration descriptor: wTotalLength 64 but only 9 bytes were read");
        assertThatThrownBy(() -> RawDescriptors.device(LsusbSource.hex("12 02 00 02")))
                .hasMessage("device descriptor: 4 bytes with bLength 18; expected at least 18");
    }
}
