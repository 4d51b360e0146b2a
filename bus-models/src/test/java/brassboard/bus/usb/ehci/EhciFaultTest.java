package brassboard.bus.usb.ehci;

import static brassboard.bus.usb.ehci.EhciRig.RAM;
import static brassboard.bus.usb.ehci.EhciRig.UF;
import static brassboard.bus.usb.ehci.EhciRig.epchar;
import static brassboard.bus.usb.ehci.EhciRig.qhLink;
import static brassboard.bus.usb.ehci.EhciRig.token;
import static brassboard.bus.usb.ehci.QueueEngine.PID_IN;
import static brassboard.bus.usb.ehci.QueueEngine.PID_OUT;
import static brassboard.bus.usb.ehci.QueueEngine.PID_SETUP;
import static brassboard.bus.usb.ehci.QueueEngine.TOKEN_ACTIVE;
import static brassboard.bus.usb.ehci.QueueEngine.TOKEN_BABBLE;
import static brassboard.bus.usb.ehci.QueueEngine.TOKEN_CERR_SHIFT;
import static brassboard.bus.usb.ehci.QueueEngine.TOKEN_HALTED;
import static brassboard.bus.usb.ehci.QueueEngine.TOKEN_XACTERR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.bus.api.FaultHandler;
import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultSite;
import brassboard.bus.usb.DeviceState;
import brassboard.bus.usb.LoopbackDevice;
import brassboard.bus.usb.SetupPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault points usb.N.packet and usb.N.link at the qTD and PORTSC level: each fault is what the
 * host controller reports for it (EHCI 1.0 §4.10.3, §4.15.1, §2.3.9), and the device never sees a
 * packet the fault took.
 */
class EhciFaultTest {
    private static final long QH = RAM + 0x1000;
    private static final long TD = RAM + 0x2000;
    private static final long BUF = RAM + 0x1_0000;
    private static final int STATUS_BITS = TOKEN_ACTIVE | TOKEN_HALTED | TOKEN_XACTERR | TOKEN_BABBLE;

    private final EhciRig rig = new EhciRig();
    private final LoopbackDevice loop = new LoopbackDevice("loop");
    /** What the handlers saw: kind and endpoint of each occurrence. */
    private final List<String> seen = new ArrayList<>();

    EhciFaultTest() {
        rig.ehci.declareFaultPoints(rig.faults);
    }

    private static int cerr(int token) {
        return (token >>> TOKEN_CERR_SHIFT) & 3;
    }

    private FaultPoint point(String name) {
        return rig.faults.find(name).orElseThrow();
    }

    /** Arms {@code name} with a handler that applies {@code action} to the first {@code times} occurrences on {@code endpoint}. */
    private void arm(String name, int endpoint, int times, FaultHandler action) {
        int[] left = {times};
        rig.faults.arm(point(name), (p, s) -> {
            seen.add(s.kind + " ep" + s.endpoint);
            if (s.endpoint == endpoint && left[0] > 0) {
                left[0]--;
                action.onOccurrence(p, s);
            }
        });
    }

    private static FaultHandler owner(String action) {
        return (p, s) -> {
            s.error = true;
            s.action = action;
        };
    }

    private void control(int dev, SetupPacket setup) {
        rig.writeBytes(BUF, setup.bytes());
        rig.qtd(TD, TD + 0x40, 0, token(PID_SETUP, 8, false, 0), BUF);
        rig.qtd(TD + 0x40, 0, 0, token(PID_IN, 0, true, 1), 0);
        rig.qh(QH, qhLink(QH), epchar(dev, 0, 64, true, true, 0), 0, TD);
        rig.reg(Ehci.ASYNCLISTADDR, (int) QH);
        rig.run(1, Ehci.CMD_ASE);
        for (int i = 0; i < 8 && (rig.qtdToken(TD + 0x40) & TOKEN_ACTIVE) != 0; i++) {
            rig.step(UF);
        }
    }

    /** The loopback device at address 1, configured, the controller running with the async list off. */
    private void configure() {
        rig.plugAndReset(0, loop.device);
        control(0, new SetupPacket(0, SetupPacket.SET_ADDRESS, 1, 0, 0));
        control(1, new SetupPacket(0, SetupPacket.SET_CONFIGURATION, 1, 0, 0));
        assertThat(loop.device.state()).isEqualTo(DeviceState.CONFIGURED);
        rig.step(UF);
        rig.reg(Ehci.USBCMD, 1 << Ehci.CMD_ITC_SHIFT | Ehci.CMD_RS);
        rig.reg(Ehci.USBSTS, 0x3F);
        seen.clear();
    }

    private void bulkIn(int bytes) {
        rig.qtd(TD, 0, 0, token(PID_IN, bytes, true, 0), BUF);
        rig.qh(QH, qhLink(QH), epchar(1, LoopbackDevice.IN_EP, 512, true, false, 0), 0, TD);
        rig.reg(Ehci.ASYNCLISTADDR, (int) QH);
        rig.run(1, Ehci.CMD_ASE);
    }

    private void bulkOut(byte[] data) {
        rig.writeBytes(BUF, data);
        rig.qtd(TD, 0, 0, token(PID_OUT, data.length, true, 0), BUF);
        rig.qh(QH, qhLink(QH), epchar(1, LoopbackDevice.OUT_EP, 512, true, false, 0), 0, TD);
        rig.reg(Ehci.ASYNCLISTADDR, (int) QH);
        rig.run(1, Ehci.CMD_ASE);
    }

    @Test
    void eachPortDeclaresAPacketAndALinkPoint() {
        for (int n = 1; n <= Ehci.PORTS; n++) {
            assertThat(point("usb." + n + ".packet").actions()).containsExactly("drop", "timeout", "crc", "stall", "babble", "nak-storm");
            assertThat(point("usb." + n + ".packet").filters()).containsExactly("kind", "endpoint");
            assertThat(point("usb." + n + ".packet").kinds()).containsExactly("setup", "in", "out");
            assertThat(point("usb." + n + ".link").actions()).containsExactly("disconnect", "reconnect");
            assertThat(point("usb." + n + ".link").performs()).isTrue();
        }
    }

    @Test
    void theControlTransfersKindsAndEndpointsAreOffered() {
        rig.faults.arm(point("usb.1.packet"), (p, s) -> seen.add(s.kind + " ep" + s.endpoint));
        rig.plugAndReset(0, loop.device);
        control(0, new SetupPacket(0, SetupPacket.SET_ADDRESS, 1, 0, 0));
        assertThat(seen).containsExactly("setup ep0", "in ep0");
    }

    @Test
    void aDroppedPacketTimesOutThreeTimesThenTheQtdHaltsWithXactErr() {
        configure();
        loop.load(new byte[] {1, 2, 3});
        arm("usb.1.packet", LoopbackDevice.IN_EP, 3, (p, s) -> s.dropped = true);
        bulkIn(512);
        rig.step(2 * UF);
        int t = rig.qtdToken(TD);
        assertThat(t & STATUS_BITS).isEqualTo(TOKEN_HALTED | TOKEN_XACTERR);
        assertThat(cerr(t)).isZero();
        assertThat(loop.storedBytes()).as("the device never saw the IN tokens").isEqualTo(3);
        assertThat(rig.events.stream().filter(e -> e.detail().contains("TIMEOUT), CERR now"))).hasSize(3);
        rig.step(UF);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_USBERRINT).isNotZero();
    }

    @Test
    void aCrcErrorIsRetriedAndTheRetrySucceeds() {
        configure();
        loop.load(new byte[] {7, 8});
        arm("usb.1.packet", LoopbackDevice.IN_EP, 1, owner("crc"));
        bulkIn(512);
        rig.step(2 * UF);
        int t = rig.qtdToken(TD);
        assertThat(t & STATUS_BITS).as("done, not halted; XactErr records the error").isEqualTo(TOKEN_XACTERR);
        assertThat(cerr(t)).as("CERR starts over after a good transaction").isEqualTo(3);
        assertThat(rig.readBytes(BUF, 2)).containsExactly(7, 8);
        assertThat(rig.events.stream().filter(e -> e.detail().contains("(CRC), CERR now 2"))).hasSize(1);
    }

    @Test
    void aTimeoutOnAnOutLeavesTheDataWithTheHost() {
        configure();
        arm("usb.1.packet", LoopbackDevice.OUT_EP, 3, owner("timeout"));
        bulkOut(new byte[] {5, 6, 7, 8});
        rig.step(2 * UF);
        assertThat(rig.qtdToken(TD) & STATUS_BITS).isEqualTo(TOKEN_HALTED | TOKEN_XACTERR);
        assertThat(loop.storedBytes()).isZero();
    }

    @Test
    void aStallHaltsWithoutCountingAnError() {
        configure();
        loop.load(new byte[] {1});
        arm("usb.1.packet", LoopbackDevice.IN_EP, 1, owner("stall"));
        bulkIn(512);
        rig.step(2 * UF);
        int t = rig.qtdToken(TD);
        assertThat(t & STATUS_BITS).isEqualTo(TOKEN_HALTED);
        assertThat(cerr(t)).isEqualTo(3);
        assertThat(loop.storedBytes()).isEqualTo(1);
    }

    @Test
    void babbleSetsBabbleDetectedAndHalted() {
        configure();
        loop.load(new byte[] {1});
        arm("usb.1.packet", LoopbackDevice.IN_EP, 1, owner("babble"));
        bulkIn(512);
        rig.step(2 * UF);
        assertThat(rig.qtdToken(TD) & STATUS_BITS).isEqualTo(TOKEN_HALTED | TOKEN_BABBLE);
        rig.step(UF);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_USBERRINT).isNotZero();
    }

    @Test
    void aNakStormOfFivePacketsHoldsTheTransferFiveMicroframes() {
        configure();
        loop.load(new byte[] {9});
        arm("usb.1.packet", LoopbackDevice.IN_EP, 1, (p, s) -> {
            s.error = true;
            s.action = "nak-storm";
            s.arg = 5;
        });
        bulkIn(512);
        rig.step(5 * UF); // the walk at the first boundary plus four more: five NAKs, one per micro-frame
        assertThat(rig.qtdToken(TD) & TOKEN_ACTIVE).as("still NAKed").isNotZero();
        assertThat(loop.storedBytes()).isEqualTo(1);
        rig.step(UF);
        assertThat(rig.qtdToken(TD) & STATUS_BITS).isZero();
        assertThat(rig.readBytes(BUF, 1)).containsExactly(9);
        assertThat(seen).as("NAKs of the storm are not offered again").hasSize(2);
    }

    @Test
    void aNakStormForADurationEndsOnTime() {
        configure();
        loop.load(new byte[] {9});
        arm("usb.1.packet", LoopbackDevice.IN_EP, 1, (p, s) -> {
            s.error = true;
            s.action = "nak-storm";
            s.duration = 10 * UF;
        });
        bulkIn(512);
        rig.step(10 * UF);
        assertThat(rig.qtdToken(TD) & TOKEN_ACTIVE).isNotZero();
        rig.step(2 * UF);
        assertThat(rig.qtdToken(TD) & STATUS_BITS).isZero();
    }

    @Test
    void aLinkRuleDisconnectsAfterTheNthOutPacketAndTheDeviceComesBackAsAReplug() {
        configure();
        rig.reg(Ehci.USBINTR, Ehci.STS_PCD);
        arm("usb.1.link", LoopbackDevice.OUT_EP, 1, (p, s) -> {
            s.action = "disconnect";
            s.duration = 2_000_000;
        });
        bulkOut(new byte[] {1, 2, 3, 4});
        rig.step(UF);
        assertThat(loop.storedBytes()).as("the packet reached the device before it dropped off").isEqualTo(4);
        assertThat(rig.qtdToken(TD) & STATUS_BITS).isZero();
        assertThat(rig.portsc(0)).as("CCS and PED clear, CSC set").isEqualTo(Ehci.PORT_PP | Ehci.PORT_CSC);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_PCD).isNotZero();
        assertThat(rig.irq.level()).isTrue();
        assertThat(loop.device.state()).isEqualTo(DeviceState.DETACHED);

        rig.portsc(0, Ehci.PORT_CSC);
        rig.reg(Ehci.USBSTS, 0x3F);
        rig.step(2_000_000);
        assertThat(rig.portsc(0)).as("plugged in again, not enabled until a reset").isEqualTo(Ehci.PORT_PP | Ehci.PORT_CSC | Ehci.PORT_CCS);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_PCD).isNotZero();
        assertThat(loop.device.state()).isEqualTo(DeviceState.POWERED);
        rig.portsc(0, Ehci.PORT_CSC | Ehci.PORT_PR);
        rig.portsc(0, 0);
        assertThat(rig.portsc(0) & Ehci.PORT_PED).isNotZero();
        assertThat(loop.device.state()).isEqualTo(DeviceState.DEFAULT);
    }

    @Test
    void theLinkPointPerformsDisconnectAndReconnect() {
        configure();
        FaultSite s = new FaultSite();
        s.action = "disconnect";
        point("usb.1.link").perform(s);
        assertThat(s.previous).isEqualTo(1);
        assertThat(s.value).isZero();
        assertThat(rig.portsc(0) & Ehci.PORT_CCS).isZero();
        s.action = "disconnect";
        point("usb.1.link").perform(s);
        assertThat(s.previous).as("already off the bus: nothing to do").isZero();
        s.action = "reconnect";
        point("usb.1.link").perform(s);
        assertThat(s.previous).isZero();
        assertThat(s.value).isEqualTo(1);
        assertThat(rig.ehci.port(0).device()).isSameAs(loop.device);
        s.action = "reconnect";
        point("usb.2.link").perform(s);
        assertThat(s.value).as("an empty port stays empty").isZero();
        s.action = "explode";
        assertThatThrownBy(() -> point("usb.1.link").perform(s)).hasMessageContaining("usb.1.link cannot explode");
    }

    @Test
    void nothingIsOfferedWhileTheDeviceIsGone() {
        configure();
        rig.faults.arm(point("usb.1.packet"), (p, s) -> seen.add(s.kind));
        rig.ehci.port(0).disconnect();
        bulkIn(512);
        rig.step(2 * UF);
        assertThat(seen).isEmpty();
        assertThat(rig.qtdToken(TD) & STATUS_BITS).isEqualTo(TOKEN_HALTED | TOKEN_XACTERR);
    }
}
