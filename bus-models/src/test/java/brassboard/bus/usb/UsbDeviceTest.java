package brassboard.bus.usb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.bus.usb.TransactionResult.Kind;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Descriptors' wire bytes, the standard requests, device states and data toggles at the transaction level. */
class UsbDeviceTest {
    private final LoopbackDevice loop = new LoopbackDevice("loop");
    private final UsbDevice dev = loop.device;

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** A whole control transfer on endpoint 0: SETUP, data stage (IN packets of 64), status. */
    private TransactionResult control(int type, int request, int value, int index, int length, byte[] outData) {
        assertThat(dev.setup(new SetupPacket(type, request, value, index, length).bytes()).kind()).isEqualTo(Kind.ACK);
        if ((type & 0x80) != 0) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int expectToggle = 1;
            while (true) {
                TransactionResult r = dev.in(0, 64);
                if (r.kind() != Kind.ACK) {
                    return r;
                }
                assertThat(r.toggle()).as("data stage toggle").isEqualTo(expectToggle);
                expectToggle ^= 1;
                got.writeBytes(r.data());
                if (r.length() < 64 || got.size() == length) {
                    break;
                }
            }
            assertThat(dev.out(0, 1, new byte[0]).kind()).isEqualTo(Kind.ACK);
            return TransactionResult.data(got.toByteArray());
        }
        if (outData != null) {
            assertThat(dev.out(0, 1, outData).kind()).isEqualTo(Kind.ACK);
        }
        TransactionResult status = dev.in(0, 64);
        if (status.kind() == Kind.ACK) {
            assertThat(status.length()).isZero();
            assertThat(status.toggle()).isEqualTo(1);
        }
        return status;
    }

    private TransactionResult get(int request, int value, int index, int length) {
        return control(0x80, request, value, index, length, null);
    }

    private void enumerate() {
        dev.attach();
        dev.busReset();
        assertThat(control(0, SetupPacket.SET_ADDRESS, 5, 0, 0, null).kind()).isEqualTo(Kind.ACK);
        assertThat(control(0, SetupPacket.SET_CONFIGURATION, 1, 0, 0, null).kind()).isEqualTo(Kind.ACK);
    }

    @Test
    void descriptorsSerialiseToTheirWireBytes() {
        assertThat(LoopbackDevice.DESCRIPTORS.device().bytes())
                .isEqualTo(hex("12 01 0002 ff 00 00 40 0912 0100 0001 01 02 03 01"));
        assertThat(LoopbackDevice.DESCRIPTORS.configurations().get(0).bytes()).isEqualTo(hex(
                "09 02 3e00 01 01 00 c0 32"
                        + "09 04 00 00 03 ff 00 00 00" + "07 05 01 02 0002 00" + "07 05 82 02 0002 00" + "07 05 83 03 0800 04"
                        + "09 04 00 01 02 ff 00 00 00" + "07 05 01 02 4000 00" + "07 05 82 02 4000 00"));
        assertThat(new Descriptor.Text("Ab").bytes()).isEqualTo(hex("06 03 4100 6200"));
        assertThat(new Descriptor.Languages(List.of(0x0409)).bytes()).isEqualTo(hex("04 03 0904"));
        assertThat(LoopbackDevice.DESCRIPTORS.qualifier().orElseThrow().bytes()).isEqualTo(hex("0a 06 0002 ff 00 00 40 01 00"));
    }

    @Test
    void descriptorSetsAreChecked() {
        assertThatThrownBy(() -> new DescriptorSet(LoopbackDevice.DESCRIPTORS.device(), List.of(),
                LoopbackDevice.DESCRIPTORS.languages(), List.of("a", "b", "c"), Optional.empty()))
                .hasMessageContaining("bNumConfigurations is 1 but 0");
        assertThatThrownBy(() -> new Descriptor.Endpoint(0x90, 2, 512, 0)).hasMessageContaining("0x90");
        assertThatThrownBy(() -> dev.onIn(5, max -> TransactionResult.nak())).hasMessageContaining("endpoint 5 IN");
    }

    @Test
    void statesFollowChapter9() {
        assertThat(dev.state()).isEqualTo(DeviceState.DETACHED);
        assertThat(dev.answers(0)).isFalse();
        dev.attach();
        assertThat(dev.state()).isEqualTo(DeviceState.POWERED);
        assertThat(dev.answers(0)).isFalse();
        dev.busReset();
        assertThat(dev.state()).isEqualTo(DeviceState.DEFAULT);
        assertThat(dev.answers(0)).isTrue();
        // SET_ADDRESS takes effect only after the status stage (§9.4.6).
        dev.setup(new SetupPacket(0, SetupPacket.SET_ADDRESS, 9, 0, 0).bytes());
        assertThat(dev.address()).isZero();
        assertThat(dev.in(0, 64).kind()).isEqualTo(Kind.ACK);
        assertThat(dev.address()).isEqualTo(9);
        assertThat(dev.state()).isEqualTo(DeviceState.ADDRESS);
        // Bulk endpoints answer only when configured.
        assertThat(dev.in(LoopbackDevice.IN_EP, 512).kind()).isEqualTo(Kind.STALL);
        assertThat(get(SetupPacket.GET_CONFIGURATION, 0, 0, 1).data()).containsExactly(0);
        assertThat(control(0, SetupPacket.SET_CONFIGURATION, 2, 0, 0, null).kind()).as("no configuration 2").isEqualTo(Kind.STALL);
        assertThat(control(0, SetupPacket.SET_CONFIGURATION, 1, 0, 0, null).kind()).isEqualTo(Kind.ACK);
        assertThat(dev.state()).isEqualTo(DeviceState.CONFIGURED);
        assertThat(get(SetupPacket.GET_CONFIGURATION, 0, 0, 1).data()).containsExactly(1);
        assertThat(control(0, SetupPacket.SET_ADDRESS, 3, 0, 0, null).kind()).as("SET_ADDRESS when configured").isEqualTo(Kind.STALL);
        dev.busReset();
        assertThat(dev.state()).isEqualTo(DeviceState.DEFAULT);
        assertThat(dev.configurationValue()).isZero();
        dev.detach();
        assertThat(dev.answers(0)).isFalse();
    }

    @Test
    void getDescriptorHonoursWLengthAndIndices() {
        enumerate();
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0100, 0, 8).data()).isEqualTo(hex("12 01 0002 ff 00 00 40"));
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0100, 0, 0x40).data()).hasSize(18);
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0200, 0, 9).data()).isEqualTo(hex("09 02 3e00 01 01 00 c0 32"));
        // The whole configuration crosses a packet boundary: 62 bytes in packets of 64 -> one short packet.
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0200, 0, 0xFF).data()).hasSize(0x3E);
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0201, 0, 9).kind()).isEqualTo(Kind.STALL);
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0300, 0, 0xFF).data()).isEqualTo(hex("04 03 0904"));
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0302, 0x0409, 2).data()).isEqualTo(hex("12 03"));
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0302, 0x0409, 0xFF).data()).isEqualTo(new Descriptor.Text("Loopback").bytes());
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0302, 0x0407, 0xFF).kind()).as("unsupported LANGID").isEqualTo(Kind.STALL);
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0304, 0x0409, 0xFF).kind()).isEqualTo(Kind.STALL);
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0600, 0, 10).data()).hasSize(10);
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0700, 0, 9).kind()).isEqualTo(Kind.STALL);
        // A stalled request leaves the pipe stalled until the next SETUP, which clears it.
        assertThat(dev.in(0, 64).kind()).isEqualTo(Kind.STALL);
        assertThat(get(SetupPacket.GET_DESCRIPTOR, 0x0100, 0, 18).data()).hasSize(18);
    }

    @Test
    void otherSpeedConfigurationIsTheOtherSpeedsConfigurationWithType7() {
        Descriptor.Configuration high = new Descriptor.Configuration(1, 0, 0xC0, 0, List.of(
                new Descriptor.Interface(0, 0, 0xFF, 0, 0, 0, List.of(Descriptor.Endpoint.bulk(1, true, 512)))));
        Descriptor.Configuration full = new Descriptor.Configuration(1, 0, 0xC0, 0, List.of(
                new Descriptor.Interface(0, 0, 0xFF, 0, 0, 0, List.of(Descriptor.Endpoint.bulk(1, true, 64)))));
        Descriptor.Device device = new Descriptor.Device(0x0200, 0, 0, 0, 64, 0x1209, 0x0002, 0, 0, 0, 0, 1);
        Descriptor.Languages en = new Descriptor.Languages(List.of(Descriptor.Languages.EN_US));
        DescriptorSet set = new DescriptorSet(device, List.of(high), en, List.of(),
                Optional.of(new Descriptor.DeviceQualifier(0x0200, 0, 0, 0, 8, 1)), List.of(full));
        UsbDevice d = new UsbDevice("two-speed", set, ControlHandler.NONE);
        d.attach();
        d.busReset();
        assertThat(d.setup(new SetupPacket(0x80, SetupPacket.GET_DESCRIPTOR, 0x0700, 0, 0xFF).bytes()).kind()).isEqualTo(Kind.ACK);
        assertThat(d.in(0, 64).data()).isEqualTo(hex("09 07 1900 01 01 00 c0 00  09 04 00 00 01 ff 00 00 00  07 05 81 02 4000 00"));
        assertThat(d.out(0, 1, new byte[0]).kind()).isEqualTo(Kind.ACK);
        assertThat(d.setup(new SetupPacket(0x80, SetupPacket.GET_DESCRIPTOR, 0x0701, 0, 0xFF).bytes()).kind()).isEqualTo(Kind.ACK);
        assertThat(d.in(0, 64).kind()).as("no second other-speed configuration").isEqualTo(Kind.STALL);
        assertThatThrownBy(() -> new DescriptorSet(device, List.of(high), en, List.of(), Optional.empty(), List.of(full)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("device qualifier");
    }

    @Test
    void getStatusAndEndpointHalt() {
        enumerate();
        assertThat(get(SetupPacket.GET_STATUS, 0, 0, 2).data()).containsExactly(1, 0); // self-powered
        assertThat(control(0, SetupPacket.SET_FEATURE, SetupPacket.DEVICE_REMOTE_WAKEUP, 0, 0, null).kind()).isEqualTo(Kind.ACK);
        assertThat(get(SetupPacket.GET_STATUS, 0, 0, 2).data()).containsExactly(3, 0);
        assertThat(control(0x81, SetupPacket.GET_STATUS, 0, 0, 2, null).data()).containsExactly(0, 0);
        assertThat(control(0x81, SetupPacket.GET_STATUS, 0, 1, 2, null).kind()).as("no interface 1").isEqualTo(Kind.STALL);
        assertThat(control(0x82, SetupPacket.GET_STATUS, 0, 0x82, 2, null).data()).containsExactly(0, 0);
        assertThat(control(0x82, SetupPacket.GET_STATUS, 0, 0x84, 2, null).kind()).isEqualTo(Kind.STALL);

        // Move the IN toggle to DATA1, halt the endpoint, clear the halt: DATA0 again (§9.4.5).
        loop.load(new byte[] {1, 2, 3});
        TransactionResult r = dev.in(LoopbackDevice.IN_EP, 512);
        assertThat(r.toggle()).isZero();
        assertThat(dev.toggle(LoopbackDevice.IN_EP, true)).isEqualTo(1);
        assertThat(control(2, SetupPacket.SET_FEATURE, SetupPacket.ENDPOINT_HALT, 0x82, 0, null).kind()).isEqualTo(Kind.ACK);
        assertThat(control(0x82, SetupPacket.GET_STATUS, 0, 0x82, 2, null).data()).containsExactly(1, 0);
        loop.load(new byte[] {4});
        assertThat(dev.in(LoopbackDevice.IN_EP, 512).kind()).isEqualTo(Kind.STALL);
        assertThat(control(2, SetupPacket.CLEAR_FEATURE, SetupPacket.ENDPOINT_HALT, 0x82, 0, null).kind()).isEqualTo(Kind.ACK);
        assertThat(dev.halted(LoopbackDevice.IN_EP, true)).isFalse();
        r = dev.in(LoopbackDevice.IN_EP, 512);
        assertThat(r.toggle()).isZero();
        assertThat(r.data()).containsExactly(4);
        assertThat(control(0, SetupPacket.SET_FEATURE, SetupPacket.TEST_MODE, 0x0100, 0, null).kind()).isEqualTo(Kind.STALL);
    }

    @Test
    void outTogglesDropRetries() {
        enumerate();
        assertThat(dev.out(LoopbackDevice.OUT_EP, 0, new byte[] {1}).kind()).isEqualTo(Kind.ACK);
        assertThat(dev.out(LoopbackDevice.OUT_EP, 0, new byte[] {1}).kind()).as("a retry with the same toggle").isEqualTo(Kind.ACK);
        assertThat(dev.out(LoopbackDevice.OUT_EP, 1, new byte[] {2}).kind()).isEqualTo(Kind.ACK);
        assertThat(loop.storedBytes()).isEqualTo(2);
        loop.outBusy = true;
        assertThat(dev.out(LoopbackDevice.OUT_EP, 0, new byte[] {3}).kind()).isEqualTo(Kind.NAK);
        assertThat(dev.ping(LoopbackDevice.OUT_EP).kind()).isEqualTo(Kind.NAK);
        loop.outBusy = false;
        assertThat(dev.ping(LoopbackDevice.OUT_EP).kind()).isEqualTo(Kind.ACK);
        assertThat(dev.toggle(LoopbackDevice.OUT_EP, false)).isZero();
        assertThat(dev.out(LoopbackDevice.OUT_EP, 0, new byte[513]).error()).isEqualTo(TransactionResult.Error.BABBLE);
    }

    @Test
    void interfaceAlternateSettings() {
        enumerate();
        assertThat(control(0x81, SetupPacket.GET_INTERFACE, 0, 0, 1, null).data()).containsExactly(0);
        assertThat(control(1, SetupPacket.SET_INTERFACE, 1, 0, 0, null).kind()).isEqualTo(Kind.ACK);
        assertThat(control(0x81, SetupPacket.GET_INTERFACE, 0, 0, 1, null).data()).containsExactly(1);
        // Alternate 1 has 64-byte bulk packets and no interrupt endpoint.
        loop.load(new byte[100]);
        assertThat(dev.in(LoopbackDevice.IN_EP, 512).length()).isEqualTo(64);
        assertThat(dev.in(LoopbackDevice.INT_EP, 8).kind()).isEqualTo(Kind.STALL);
        assertThat(control(1, SetupPacket.SET_INTERFACE, 2, 0, 0, null).kind()).isEqualTo(Kind.STALL);
        assertThat(control(1, SetupPacket.SET_INTERFACE, 0, 1, 0, null).kind()).isEqualTo(Kind.STALL);
    }

    @Test
    void classAndVendorRequestsGoToTheDevice() {
        enumerate();
        loop.load(new byte[300]);
        assertThat(control(0xC0, 0x01, 0, 0, 2, null).data()).containsExactly(0x2C, 0x01);
        assertThat(control(0x40, 0x02, 0, 0, 0, null).kind()).isEqualTo(Kind.ACK);
        assertThat(loop.flag).isTrue();
        assertThat(control(0x40, 0x03, 0, 0, 0, null).kind()).isEqualTo(Kind.STALL);
        assertThat(control(0, SetupPacket.SET_DESCRIPTOR, 0x0100, 0, 18, new byte[18]).kind()).isEqualTo(Kind.STALL);
    }
}
