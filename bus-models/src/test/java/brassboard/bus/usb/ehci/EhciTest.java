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
import static brassboard.bus.usb.ehci.QueueEngine.TOKEN_BYTES_SHIFT;
import static brassboard.bus.usb.ehci.QueueEngine.TOKEN_CERR_SHIFT;
import static brassboard.bus.usb.ehci.QueueEngine.TOKEN_DT;
import static brassboard.bus.usb.ehci.QueueEngine.TOKEN_HALTED;
import static brassboard.bus.usb.ehci.QueueEngine.TOKEN_PING;
import static brassboard.bus.usb.ehci.QueueEngine.TOKEN_XACTERR;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.api.Masters;
import brassboard.bus.usb.ControlHandler;
import brassboard.bus.usb.DeviceState;
import brassboard.bus.usb.LoopbackDevice;
import brassboard.bus.usb.SetupPacket;
import brassboard.bus.usb.TransactionResult;
import brassboard.bus.usb.UsbDevice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EHCI at the register level, with schedules built in RAM by hand and virtual time stepped. */
class EhciTest {
    private static final long QH = RAM + 0x1000;
    private static final long QH2 = RAM + 0x1040;
    private static final long TD = RAM + 0x2000;
    private static final long BUF = RAM + 0x1_0000;

    private final EhciRig rig = new EhciRig();
    private final LoopbackDevice loop = new LoopbackDevice("loop");

    private static int bytesLeft(int token) {
        return (token >>> TOKEN_BYTES_SHIFT) & 0x7FFF;
    }

    private static int cerr(int token) {
        return (token >>> TOKEN_CERR_SHIFT) & 3;
    }

    /** A control transfer on the async schedule (one H-bit QH linked to itself); returns the status qTD's address. */
    private long control(int dev, SetupPacket setup, long dataBuf, int dataLen) {
        rig.writeBytes(BUF, setup.bytes());
        long setupTd = TD;
        long dataTd = TD + 0x20;
        long statusTd = TD + 0x40;
        boolean in = setup.deviceToHost();
        rig.qtd(setupTd, dataLen > 0 ? dataTd : statusTd, 0, token(PID_SETUP, 8, false, 0), BUF);
        if (dataLen > 0) {
            rig.qtd(dataTd, statusTd, statusTd, token(in ? PID_IN : PID_OUT, dataLen, false, 1), dataBuf);
        }
        rig.qtd(statusTd, 0, 0, token(in && dataLen > 0 ? PID_OUT : PID_IN, 0, true, 1), 0);
        rig.qh(QH, qhLink(QH), epchar(dev, 0, 64, true, true, 0), 0, setupTd);
        rig.reg(Ehci.ASYNCLISTADDR, (int) QH);
        rig.run(1, Ehci.CMD_ASE);
        return statusTd;
    }

    private void awaitDone(long qtd, int microframes) {
        for (int i = 0; i < microframes && (rig.qtdToken(qtd) & TOKEN_ACTIVE) != 0; i++) {
            rig.step(UF);
        }
        assertThat(rig.qtdToken(qtd) & TOKEN_ACTIVE).as("qTD still active").isZero();
    }

    @Test
    void capabilityRegistersAreQemus() {
        assertThat(rig.reg(Ehci.CAPLENGTH)).isEqualTo(0x0100_0020);
        assertThat(rig.ehci.mmio().read(0, 1)).isEqualTo(0x20);
        assertThat(rig.ehci.mmio().read(2, 2)).isEqualTo(0x0100);
        assertThat(rig.reg(Ehci.HCSPARAMS)).isEqualTo(0x0000_0006);
        assertThat(rig.reg(Ehci.HCCPARAMS)).isEqualTo(0x0000_6880);
        assertThat(rig.reg(Ehci.HCSP_PORTROUTE)).isZero();
        rig.reg(Ehci.HCSPARAMS, 0xFFFF_FFFF);
        assertThat(rig.reg(Ehci.HCSPARAMS)).isEqualTo(6);
        // Operational registers after reset, as QEMU's ehci_reset leaves them.
        assertThat(rig.reg(Ehci.USBCMD)).isEqualTo(0x0008_0000);
        assertThat(rig.reg(Ehci.USBSTS)).isEqualTo(Ehci.STS_HCHALTED);
        assertThat(rig.reg(Ehci.USBINTR)).isZero();
        assertThat(rig.reg(Ehci.CONFIGFLAG)).isZero();
        for (int p = 0; p < Ehci.PORTS; p++) {
            assertThat(rig.portsc(p)).isEqualTo(Ehci.PORT_PP);
        }
        rig.reg(Ehci.CTRLDSSEGMENT, 0x1234);
        assertThat(rig.reg(Ehci.CTRLDSSEGMENT)).as("no 64-bit addressing: reads zero").isZero();
        rig.reg(Ehci.USBCMD, 0x0C); // frame list size is not programmable
        assertThat(rig.reg(Ehci.USBCMD) & 0x0C).isZero();
    }

    @Test
    void runStopFrindexAndHostControllerReset() {
        rig.reg(Ehci.FRINDEX, 0x100);
        assertThat(rig.reg(Ehci.FRINDEX)).isEqualTo(0x100);
        rig.run(8, 0);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_HCHALTED).isZero();
        rig.step(10 * UF + 3);
        assertThat(rig.reg(Ehci.FRINDEX)).isEqualTo(0x10A);
        rig.reg(Ehci.USBCMD, 0);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_HCHALTED).isNotZero();
        rig.step(100 * UF);
        assertThat(rig.reg(Ehci.FRINDEX)).as("frozen while halted").isEqualTo(0x10A);

        rig.ehci.port(2).connect(loop.device);
        rig.reg(Ehci.USBINTR, 0x3F);
        rig.reg(Ehci.CONFIGFLAG, 1);
        rig.reg(Ehci.USBCMD, Ehci.CMD_HCRESET);
        assertThat(rig.reg(Ehci.USBCMD)).isEqualTo(0x0008_0000);
        assertThat(rig.reg(Ehci.USBINTR)).isZero();
        assertThat(rig.reg(Ehci.CONFIGFLAG)).isZero();
        assertThat(rig.reg(Ehci.FRINDEX)).isZero();
        assertThat(rig.reg(Ehci.USBSTS)).isEqualTo(Ehci.STS_HCHALTED | Ehci.STS_PCD);
        assertThat(rig.portsc(2)).as("the attached device is announced again").isEqualTo(Ehci.PORT_PP | Ehci.PORT_CSC | Ehci.PORT_CCS);
        assertThat(loop.device.state()).isEqualTo(DeviceState.POWERED);
    }

    @Test
    void portConnectResetAndEnable() {
        rig.reg(Ehci.USBINTR, Ehci.STS_PCD);
        rig.run(8, 0);
        rig.ehci.port(0).connect(loop.device);
        assertThat(rig.portsc(0)).isEqualTo(Ehci.PORT_PP | Ehci.PORT_CSC | Ehci.PORT_CCS);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_PCD).isNotZero();
        assertThat(rig.irq.level()).isTrue();
        rig.reg(Ehci.USBSTS, Ehci.STS_PCD);
        assertThat(rig.irq.level()).isFalse();
        // Software cannot enable a port by writing PED (§2.3.9).
        rig.portsc(0, Ehci.PORT_PED);
        assertThat(rig.portsc(0) & Ehci.PORT_PED).isZero();
        assertThat(rig.portsc(0) & Ehci.PORT_CSC).as("CSC is write-1-to-clear; a 0 leaves it").isNotZero();
        rig.portsc(0, Ehci.PORT_CSC | Ehci.PORT_PR);
        assertThat(rig.portsc(0)).isEqualTo(Ehci.PORT_PP | Ehci.PORT_PR | Ehci.PORT_CCS);
        rig.step(50_000_000);
        rig.portsc(0, 0);
        assertThat(rig.portsc(0)).isEqualTo(Ehci.PORT_PP | Ehci.PORT_PED | Ehci.PORT_CCS);
        assertThat(loop.device.state()).isEqualTo(DeviceState.DEFAULT);
        // Suspend and resume.
        rig.portsc(0, Ehci.PORT_PED | Ehci.PORT_SUSPEND);
        assertThat(rig.portsc(0) & Ehci.PORT_SUSPEND).isNotZero();
        rig.portsc(0, Ehci.PORT_PED | Ehci.PORT_SUSPEND | Ehci.PORT_FPR);
        rig.portsc(0, Ehci.PORT_PED | Ehci.PORT_SUSPEND);
        assertThat(rig.portsc(0) & (Ehci.PORT_SUSPEND | Ehci.PORT_FPR)).isZero();
        // Software disables the port.
        rig.portsc(0, 0);
        assertThat(rig.portsc(0)).isEqualTo(Ehci.PORT_PP | Ehci.PORT_CCS);
        assertThat(rig.events("usb.port")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void controlTransfersGetDescriptorAndSetAddress() {
        rig.plugAndReset(0, loop.device);
        long status = control(0, new SetupPacket(0x80, SetupPacket.GET_DESCRIPTOR, 0x0100, 0, 18), BUF + 0x100, 18);
        awaitDone(status, 8);
        assertThat(rig.readBytes(BUF + 0x100, 18)).isEqualTo(LoopbackDevice.DESCRIPTORS.device().bytes());
        assertThat(rig.qtdToken(TD) & 0xFF).as("SETUP done, no error bits").isZero();
        assertThat(bytesLeft(rig.qtdToken(TD + 0x20))).isZero();
        assertThat(rig.qtdToken(status) & 0xFF).isZero();

        status = control(0, new SetupPacket(0, SetupPacket.SET_ADDRESS, 7, 0, 0), 0, 0);
        awaitDone(status, 8);
        assertThat(loop.device.address()).isEqualTo(7);
        assertThat(loop.device.state()).isEqualTo(DeviceState.ADDRESS);

        // The device now answers at 7, not 0: a transfer to 0 times out (CERR counts down to a halt).
        status = control(7, new SetupPacket(0x80, SetupPacket.GET_DESCRIPTOR, 0x0300, 0, 255), BUF + 0x200, 255);
        awaitDone(status, 8);
        assertThat(rig.readBytes(BUF + 0x200, 4)).containsExactly(4, 3, 9, 4);
        assertThat(bytesLeft(rig.qtdToken(TD + 0x20))).as("a short packet leaves bytes").isEqualTo(251);
        control(0, new SetupPacket(0x80, SetupPacket.GET_DESCRIPTOR, 0x0100, 0, 18), BUF + 0x100, 18);
        awaitDone(TD, 8);
        int t = rig.qtdToken(TD);
        assertThat(t & (TOKEN_HALTED | TOKEN_XACTERR)).isEqualTo(TOKEN_HALTED | TOKEN_XACTERR);
        assertThat(cerr(t)).isZero();
        rig.step(UF); // USBERRINT waits for the interrupt threshold
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_USBERRINT).isNotZero();
    }

    @Test
    void shortPacketFollowsTheAlternateNextQtd() {
        rig.plugAndReset(0, loop.device);
        // GET_DESCRIPTOR(configuration, 255): two data qTDs; the first ends short, so the status qTD is next.
        rig.writeBytes(BUF, new SetupPacket(0x80, SetupPacket.GET_DESCRIPTOR, 0x0200, 0, 255).bytes());
        long setupTd = TD;
        long data1 = TD + 0x20;
        long data2 = TD + 0x40;
        long statusTd = TD + 0x60;
        rig.qtd(setupTd, data1, 0, token(PID_SETUP, 8, false, 0), BUF);
        rig.qtd(data1, data2, statusTd, token(PID_IN, 128, false, 1), BUF + 0x100);
        rig.qtd(data2, statusTd, statusTd, token(PID_IN, 127, false, 1), BUF + 0x180);
        rig.qtd(statusTd, 0, 0, token(PID_OUT, 0, true, 1), 0);
        rig.qh(QH, qhLink(QH), epchar(0, 0, 64, true, true, 0), 0, setupTd);
        rig.reg(Ehci.ASYNCLISTADDR, (int) QH);
        rig.run(1, Ehci.CMD_ASE);
        awaitDone(statusTd, 8);
        assertThat(bytesLeft(rig.qtdToken(data1))).isEqualTo(128 - 62);
        assertThat(rig.qtdToken(data2) & TOKEN_ACTIVE).as("skipped by the alternate next pointer").isNotZero();
        assertThat(rig.readBytes(BUF + 0x100, 62)).isEqualTo(LoopbackDevice.DESCRIPTORS.configurations().get(0).bytes());
        rig.step(UF);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_USBINT).isNotZero();
    }

    /** Configures the loopback device at address 1. */
    private void configure() {
        rig.plugAndReset(0, loop.device);
        awaitDone(control(0, new SetupPacket(0, SetupPacket.SET_ADDRESS, 1, 0, 0), 0, 0), 8);
        awaitDone(control(1, new SetupPacket(0, SetupPacket.SET_CONFIGURATION, 1, 0, 0), 0, 0), 8);
        assertThat(loop.device.state()).isEqualTo(DeviceState.CONFIGURED);
        rig.step(UF); // the last USBINT reaches USBSTS
        rig.reg(Ehci.USBCMD, 1 << Ehci.CMD_ITC_SHIFT | Ehci.CMD_RS); // async off while the test rebuilds it
        rig.reg(Ehci.USBSTS, 0x3F);
    }

    /** A bulk QH (QH toggle, DTC=0) for endpoint {@code ep}, alone on the async list, with {@code firstTd}. */
    private void bulk(int ep, long firstTd, int rl) {
        rig.qh(QH, qhLink(QH), epchar(1, ep, 512, true, false, rl), 0, firstTd);
        rig.reg(Ehci.ASYNCLISTADDR, (int) QH);
        rig.run(1, Ehci.CMD_ASE);
    }

    @Test
    void bulkOutAndInWithToggles() {
        configure();
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        rig.writeBytes(BUF + 0xF00, data); // crosses a 4 KiB page: the second buffer pointer is used
        rig.qtd(TD, 0, 0, token(PID_OUT, 1000, true, 0), BUF + 0xF00);
        bulk(LoopbackDevice.OUT_EP, TD, 0);
        awaitDone(TD, 4);
        assertThat(rig.qtdToken(TD) & 0xFF).isZero();
        assertThat(loop.storedBytes()).isEqualTo(1000);
        assertThat(rig.overlayToken(QH) & TOKEN_DT).as("two packets: DATA0, DATA1, next DATA0").isZero();
        assertThat(loop.device.toggle(LoopbackDevice.OUT_EP, false)).isZero();

        // One more packet: the QH's toggle (DTC=0) carries over to the next qTD.
        rig.writeBytes(BUF, new byte[] {1, 2, 3});
        rig.qtd(TD + 0x20, 0, 0, token(PID_OUT, 3, true, 0), BUF);
        rig.write32(TD, TD + 0x20 == 0 ? 1 : (int) (TD + 0x20)); // link it after the first
        rig.write32(QH + 16, (int) (TD + 0x20));
        rig.step(2 * UF);
        assertThat(rig.qtdToken(TD + 0x20) & TOKEN_ACTIVE).isZero();
        assertThat(rig.overlayToken(QH) & TOKEN_DT).isNotZero();
        assertThat(loop.device.toggle(LoopbackDevice.OUT_EP, false)).isEqualTo(1);

        rig.reg(Ehci.USBCMD, 1 << Ehci.CMD_ITC_SHIFT | Ehci.CMD_RS);
        rig.qtd(TD + 0x40, 0, 0, token(PID_IN, 1003, true, 0), BUF + 0x2000);
        bulk(LoopbackDevice.IN_EP, TD + 0x40, 0);
        awaitDone(TD + 0x40, 4);
        assertThat(bytesLeft(rig.qtdToken(TD + 0x40))).isZero();
        byte[] back = rig.readBytes(BUF + 0x2000, 1003);
        assertThat(Arrays.copyOf(back, 1000)).isEqualTo(data);
        assertThat(Arrays.copyOfRange(back, 1000, 1003)).containsExactly(1, 2, 3);
        assertThat(loop.device.toggle(LoopbackDevice.IN_EP, true)).as("512 + 491 bytes: DATA0, DATA1, next DATA0").isZero();
        assertThat(rig.overlayToken(QH) & TOKEN_DT).isZero();
    }

    @Test
    void nakIsRetriedUntilDataArrives() {
        configure();
        rig.qtd(TD, 0, 0, token(PID_IN, 512, true, 0), BUF);
        bulk(LoopbackDevice.IN_EP, TD, 0);
        rig.step(20 * UF);
        assertThat(rig.qtdToken(TD) & TOKEN_ACTIVE).as("NAKed: still active").isNotZero();
        assertThat(rig.overlayToken(QH) & TOKEN_ACTIVE).isNotZero();
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_USBINT).isZero();
        long walks = rig.ehci.walks();
        rig.step(10 * UF);
        assertThat(rig.ehci.walks() - walks).as("a NAKing endpoint is polled every micro-frame").isEqualTo(10);
        loop.load(new byte[] {42});
        rig.step(UF);
        assertThat(rig.qtdToken(TD) & TOKEN_ACTIVE).isZero();
        assertThat(rig.readBytes(BUF, 1)).containsExactly(42);
        rig.step(UF);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_USBINT).isNotZero();
    }

    @Test
    void nakedOutEntersThePingState() {
        configure();
        loop.outBusy = true;
        rig.qtd(TD, 0, 0, token(PID_OUT, 4, true, 0), BUF);
        bulk(LoopbackDevice.OUT_EP, TD, 4);
        rig.step(3 * UF);
        assertThat(rig.overlayToken(QH) & TOKEN_PING).isNotZero();
        assertThat(rig.qtdToken(TD) & TOKEN_ACTIVE).isNotZero();
        loop.outBusy = false;
        rig.step(3 * UF);
        assertThat(rig.qtdToken(TD) & TOKEN_ACTIVE).isZero();
        assertThat(rig.overlayToken(QH) & TOKEN_PING).isZero();
        assertThat(loop.storedBytes()).isEqualTo(4);
    }

    @Test
    void stallHaltsTheQtd() {
        configure();
        loop.device.out(0, 0, new byte[0]);
        rig.qtd(TD, TD + 0x20, 0, token(PID_IN, 64, false, 0), BUF);
        rig.qtd(TD + 0x20, 0, 0, token(PID_IN, 64, false, 0), BUF);
        bulk(5, TD, 0); // no endpoint 5: the device stalls
        rig.reg(Ehci.USBINTR, Ehci.STS_USBERRINT);
        rig.step(2 * UF);
        int t = rig.qtdToken(TD);
        assertThat(t & (TOKEN_ACTIVE | TOKEN_HALTED | TOKEN_XACTERR)).isEqualTo(TOKEN_HALTED);
        assertThat(cerr(t)).as("a STALL is not counted").isEqualTo(3);
        assertThat(rig.qtdToken(TD + 0x20) & TOKEN_ACTIVE).as("the queue stays halted").isNotZero();
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_USBERRINT).isNotZero();
        assertThat(rig.irq.level()).isTrue();
        assertThat(rig.events("usb.xact")).isEqualTo(1);
    }

    @Test
    void interruptThresholdDefersUsbint() {
        configure();
        rig.reg(Ehci.USBCMD, 0);
        rig.reg(Ehci.FRINDEX, 0);
        rig.reg(Ehci.USBINTR, Ehci.STS_USBINT);
        loop.load(new byte[] {1});
        rig.qtd(TD, 0, 0, token(PID_IN, 64, true, 0), BUF);
        rig.qh(QH, qhLink(QH), epchar(1, LoopbackDevice.IN_EP, 512, true, false, 0), 0, TD);
        rig.reg(Ehci.ASYNCLISTADDR, (int) QH);
        rig.run(8, Ehci.CMD_ASE); // the transfer completes in micro-frame 0
        rig.step(0);
        assertThat(rig.qtdToken(TD) & TOKEN_ACTIVE).isZero();
        for (int uf = 1; uf < 8; uf++) {
            rig.step(UF);
            assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_USBINT).as("micro-frame %d", uf).isZero();
            assertThat(rig.irq.level()).isFalse();
        }
        rig.step(UF);
        assertThat(rig.reg(Ehci.FRINDEX)).isEqualTo(8);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_USBINT).isNotZero();
        assertThat(rig.irq.level()).isTrue();
        rig.reg(Ehci.USBSTS, Ehci.STS_USBINT);
        assertThat(rig.irq.level()).isFalse();
    }

    @Test
    void asyncAdvanceDoorbell() {
        configure();
        rig.qh(QH, qhLink(QH), epchar(1, LoopbackDevice.IN_EP, 512, true, false, 0), 0, 0);
        rig.reg(Ehci.ASYNCLISTADDR, (int) QH);
        rig.reg(Ehci.USBINTR, Ehci.STS_IAA);
        rig.run(8, Ehci.CMD_ASE);
        rig.step(40 * UF); // idle: the walk has backed off
        rig.run(8, Ehci.CMD_ASE | Ehci.CMD_IAAD);
        assertThat(rig.reg(Ehci.USBCMD) & Ehci.CMD_IAAD).isNotZero();
        rig.reg(Ehci.USBCMD, 8 << Ehci.CMD_ITC_SHIFT | Ehci.CMD_RS | Ehci.CMD_ASE); // cannot clear it
        assertThat(rig.reg(Ehci.USBCMD) & Ehci.CMD_IAAD).isNotZero();
        rig.step(UF);
        assertThat(rig.reg(Ehci.USBCMD) & Ehci.CMD_IAAD).isZero();
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_IAA).isNotZero();
        assertThat(rig.irq.level()).isTrue();
        assertThat(rig.events("usb.doorbell")).isEqualTo(2);
    }

    @Test
    void disconnectWhileATransferIsActive() {
        configure();
        rig.qtd(TD, 0, 0, token(PID_IN, 512, true, 0), BUF);
        bulk(LoopbackDevice.IN_EP, TD, 0);
        rig.reg(Ehci.USBINTR, Ehci.STS_PCD | Ehci.STS_USBERRINT);
        rig.step(5 * UF);
        assertThat(rig.qtdToken(TD) & TOKEN_ACTIVE).isNotZero();
        rig.ehci.port(0).disconnect();
        assertThat(rig.portsc(0)).isEqualTo(Ehci.PORT_PP | Ehci.PORT_CSC);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_PCD).isNotZero();
        assertThat(loop.device.state()).isEqualTo(DeviceState.DETACHED);
        long before = rig.events("usb.xact");
        rig.step(UF);
        // Three timeouts in a row (the QH is the only one on the list, so it is retried at once): CERR 2, 1, 0.
        assertThat(rig.events("usb.xact") - before).isEqualTo(3);
        assertThat(rig.events.stream().filter(e -> e.detail().contains("TIMEOUT")).map(e -> e.detail().replaceAll(".*CERR now ", "")))
                .containsExactly("2", "1", "0");
        int t = rig.qtdToken(TD);
        assertThat(t & (TOKEN_ACTIVE | TOKEN_HALTED | TOKEN_XACTERR)).isEqualTo(TOKEN_HALTED | TOKEN_XACTERR);
        assertThat(cerr(t)).isZero();
        rig.step(UF);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_USBERRINT).isNotZero();
        // Plug it back in: a new connect.
        rig.reg(Ehci.USBSTS, 0x3F);
        rig.portsc(0, Ehci.PORT_CSC);
        rig.ehci.port(0).connect(loop.device);
        assertThat(rig.portsc(0)).isEqualTo(Ehci.PORT_PP | Ehci.PORT_CSC | Ehci.PORT_CCS);
    }

    @Test
    void busErrorOnDmaIsAHostSystemError() {
        rig.reg(Ehci.USBINTR, Ehci.STS_HSE);
        rig.reg(Ehci.ASYNCLISTADDR, 0x8000_0000); // nothing there
        rig.run(1, Ehci.CMD_ASE);
        rig.step(UF);
        assertThat(rig.reg(Ehci.USBSTS) & (Ehci.STS_HSE | Ehci.STS_HCHALTED)).isEqualTo(Ehci.STS_HSE | Ehci.STS_HCHALTED);
        assertThat(rig.reg(Ehci.USBCMD) & Ehci.CMD_RS).isZero();
        assertThat(rig.irq.level()).isTrue();
        assertThat(rig.sched.hasPendingEvents()).isFalse();
        assertThat(rig.events("usb.hse")).isEqualTo(1);
        assertThat(rig.warned("0x80000000")).isTrue();
    }

    @Test
    void anIdleControllerSchedulesNoEvents() {
        rig.run(8, 0);
        rig.ehci.port(0).connect(loop.device);
        assertThat(rig.sched.hasPendingEvents()).as("running, both schedules off").isFalse();
        rig.step(1_000_000_000L);
        assertThat(rig.reg(Ehci.FRINDEX)).isEqualTo(8000);
        assertThat(rig.ehci.walks()).isZero();
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_FLR).isZero();
        rig.step(30_000_000L); // 1024 frames: the frame list rolls over
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_FLR).isNotZero();

        // An enabled but empty async schedule backs off to one walk every 8 ms.
        rig.qh(QH, qhLink(QH), epchar(0, 0, 64, true, true, 0), 0, 0);
        rig.reg(Ehci.ASYNCLISTADDR, (int) QH);
        rig.run(8, Ehci.CMD_ASE);
        rig.step(1_000_000_000L);
        assertThat(rig.ehci.walks()).isBetween(100L, 150L);
        // Work placed in memory is found within the back-off, then served every micro-frame.
        loop.device.busReset();
        rig.plugAndReset(1, new LoopbackDevice("other").device);
        rig.writeBytes(BUF, new SetupPacket(0x80, SetupPacket.GET_DESCRIPTOR, 0x0100, 0, 18).bytes());
        rig.qtd(TD, 0, 0, token(PID_SETUP, 8, false, 0), BUF);
        rig.write32(QH + 16, (int) TD);
        rig.step(8 * Ehci.MAX_IDLE_STEP * UF / 8);
        assertThat(rig.qtdToken(TD) & TOKEN_ACTIVE).isZero();
    }

    @Test
    void periodicInterruptQhWithSmask() {
        configure();
        long intQh = QH2;
        for (int f = 0; f < 1024; f++) {
            rig.write32(EhciRig.FRAME_LIST + 4L * f, (int) qhLink(intQh));
        }
        // An iTD in frame 3's list, linking on to the QH: skipped with one warning.
        long itd = RAM + 0x3000;
        rig.write32(itd, (int) qhLink(intQh));
        rig.write32(EhciRig.FRAME_LIST + 12, (int) itd);
        rig.qtd(TD, 0, 0, token(PID_IN, 8, true, 0), BUF);
        rig.qh(intQh, 1, epchar(1, LoopbackDevice.INT_EP, 8, false, false, 0), 1 << 30 | 0x01, TD);
        rig.reg(Ehci.PERIODICLISTBASE, (int) EhciRig.FRAME_LIST);
        rig.reg(Ehci.USBINTR, Ehci.STS_USBINT);
        rig.run(1, Ehci.CMD_PSE);
        assertThat(rig.reg(Ehci.USBSTS) & Ehci.STS_PSS).isNotZero();
        rig.step(40 * UF);
        assertThat(rig.qtdToken(TD) & TOKEN_ACTIVE).isNotZero();
        long polled = rig.events.size();
        loop.status(0x5A);
        rig.step(8 * UF);
        assertThat(rig.qtdToken(TD) & TOKEN_ACTIVE).isZero();
        assertThat(bytesLeft(rig.qtdToken(TD))).as("one byte of eight: short").isEqualTo(7);
        assertThat(rig.readBytes(BUF, 1)).containsExactly(0x5A);
        rig.step(UF);
        assertThat(rig.irq.level()).isTrue();
        assertThat(rig.warnings.stream().filter(w -> w.contains("iTD")).count()).isEqualTo(1);
        assertThat(polled).isPositive();
    }

    @Test
    void aMicroframeCarriesAboutFourteenBulkPackets() {
        configure();
        loop.load(new byte[16384]);
        rig.qtd(TD, 0, 0, token(PID_IN, 16384, true, 0), BUF); // 32 packets of 512, five buffer pages
        bulk(LoopbackDevice.IN_EP, TD, 0);
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < 6 && (rig.qtdToken(TD) & TOKEN_ACTIVE) != 0; i++) {
            rig.step(UF);
            left.add(bytesLeft(rig.overlayToken(QH)));
        }
        // 7500 byte times per micro-frame hold 14 transactions of 512 + 20: 16384 -> 9216 -> 2048 -> 0.
        assertThat(left).containsExactly(16384 - 14 * 512, 16384 - 28 * 512, 0);
        assertThat(rig.qtdToken(TD) & 0x7F).isZero();
        assertThat(bytesLeft(rig.qtdToken(TD))).isZero();
        assertThat(rig.overlayToken(QH) >>> 12 & 7).as("C_Page ends on the fifth page").isEqualTo(4);
    }

    @Test
    void babbleHaltsAndCerrZeroRetriesForEver() {
        // A device whose bulk IN handler answers more than it was asked for: babble.
        UsbDevice babbler = new UsbDevice("babbler", LoopbackDevice.DESCRIPTORS,
                ControlHandler.NONE);
        babbler.onIn(LoopbackDevice.IN_EP, max -> TransactionResult.data(new byte[max + 1]));
        rig.plugAndReset(0, babbler);
        awaitDone(control(0, new SetupPacket(0, SetupPacket.SET_ADDRESS, 1, 0, 0), 0, 0), 8);
        awaitDone(control(1, new SetupPacket(0, SetupPacket.SET_CONFIGURATION, 1, 0, 0), 0, 0), 8);
        rig.reg(Ehci.USBCMD, 1 << Ehci.CMD_ITC_SHIFT | Ehci.CMD_RS);
        rig.qtd(TD, 0, 0, token(PID_IN, 512, false, 0), BUF);
        bulk(LoopbackDevice.IN_EP, TD, 0);
        rig.step(2 * UF);
        assertThat(rig.qtdToken(TD) & (TOKEN_ACTIVE | TOKEN_HALTED | QueueEngine.TOKEN_BABBLE))
                .isEqualTo(TOKEN_HALTED | QueueEngine.TOKEN_BABBLE);

        // CERR programmed 0: transaction errors are not counted; the qTD stays active.
        rig.reg(Ehci.USBCMD, 1 << Ehci.CMD_ITC_SHIFT | Ehci.CMD_RS);
        rig.qtd(TD, 0, 0, token(PID_IN, 512, false, 0) & ~(3 << TOKEN_CERR_SHIFT), BUF);
        rig.qh(QH, qhLink(QH), epchar(9, 1, 512, true, false, 0), 0, TD); // nobody at address 9
        rig.reg(Ehci.ASYNCLISTADDR, (int) QH);
        rig.run(1, Ehci.CMD_ASE);
        rig.step(5 * UF);
        int t = rig.overlayToken(QH);
        assertThat(t & (TOKEN_ACTIVE | TOKEN_HALTED | TOKEN_XACTERR)).isEqualTo(TOKEN_ACTIVE | TOKEN_XACTERR);
        assertThat(cerr(t)).isZero();
    }

    @Test
    void vendorRequestWithAnOutDataStage() {
        configure();
        rig.writeBytes(BUF + 0x100, new byte[] {9, 8, 7});
        long status = control(1, new SetupPacket(0x40, 0x04, 0, 0, 3), BUF + 0x100, 3);
        awaitDone(status, 8);
        assertThat(rig.qtdToken(status) & 0x7F).isZero();
        assertThat(loop.vendorData).containsExactly(9, 8, 7);
        status = control(1, new SetupPacket(0x40, 0x05, 0, 0, 0), 0, 0);
        awaitDone(status, 8);
        assertThat(rig.qtdToken(status) & TOKEN_HALTED).as("an unknown vendor request stalls its status stage").isNotZero();
    }

    @Test
    void faultRulesSeeTheControllersDma() {
        configure();
        List<String> seen = new ArrayList<>();
        // A rule on bus.write that fails the controller's (master 64) writes into the data buffer.
        rig.faults.arm(rig.faults.find("bus.write").orElseThrow(), (point, site) -> {
            if (site.master == Masters.DMA_BASE && site.address >= BUF && site.address < BUF + 0x1000) {
                seen.add(Masters.name(site.master));
                site.error = true;
            }
        });
        loop.load(new byte[] {1, 2, 3, 4});
        rig.qtd(TD, 0, 0, token(PID_IN, 512, true, 0), BUF);
        bulk(LoopbackDevice.IN_EP, TD, 0);
        rig.step(2 * UF);
        assertThat(seen).containsExactly("dma0");
        assertThat(rig.reg(Ehci.USBSTS) & (Ehci.STS_HSE | Ehci.STS_HCHALTED)).isEqualTo(Ehci.STS_HSE | Ehci.STS_HCHALTED);
        assertThat(rig.warned(String.format("writing a data buffer at 0x%08x", BUF))).isTrue();
    }

    @Test
    void frameListRolloverInterruptComesOnTime() {
        rig.reg(Ehci.FRINDEX, 0x3FF0); // 16 micro-frames before FRINDEX wraps (bit 13 toggles)
        rig.reg(Ehci.USBINTR, Ehci.STS_FLR);
        rig.run(8, 0);
        rig.step(15 * UF);
        assertThat(rig.irq.level()).isFalse();
        rig.step(UF);
        assertThat(rig.irq.level()).as("FLR at the wrap, from the one event planned for it").isTrue();
        assertThat(rig.reg(Ehci.FRINDEX)).isZero();
        rig.reg(Ehci.USBSTS, Ehci.STS_FLR);
        assertThat(rig.irq.level()).isFalse();
        assertThat(rig.sched.nextEventTime() - rig.sched.now()).as("next rollover: 8192 micro-frames on").isEqualTo(8192 * UF);
        // HCRESET while running is done, with a warning (the driver should halt first).
        rig.reg(Ehci.USBCMD, Ehci.CMD_RS | Ehci.CMD_HCRESET);
        assertThat(rig.reg(Ehci.USBSTS)).isEqualTo(Ehci.STS_HCHALTED);
        assertThat(rig.sched.hasPendingEvents()).isFalse();
        assertThat(rig.warned("HCRESET written while Run/Stop is set")).isTrue();
    }

    @Test
    void nonsenseInTheScheduleIsHaltedWithAWarning() {
        configure();
        rig.qtd(TD, TD + 0x20, 0, token(PID_IN, 64, false, 0), BUF);
        rig.qh(QH, qhLink(QH), epchar(1, LoopbackDevice.IN_EP, 0, true, false, 0), 0, TD); // Maximum Packet Length 0
        rig.reg(Ehci.ASYNCLISTADDR, (int) QH);
        rig.run(1, Ehci.CMD_ASE);
        rig.step(UF);
        assertThat(rig.qtdToken(TD) & (TOKEN_ACTIVE | TOKEN_HALTED)).isEqualTo(TOKEN_HALTED);
        assertThat(rig.warned("Maximum Packet Length 0")).isTrue();

        // Reserved PID code 3, and a transfer that runs past the fifth buffer page.
        rig.qtd(TD, 0, 0, token(3, 8, false, 0), BUF);
        rig.qtd(TD + 0x20, 0, 0, token(PID_IN, 512, false, 0), BUF);
        rig.write32(TD + 0x20 + 12, (int) (BUF + 0xF00));
        rig.write32(TD + 0x20 + 8, token(PID_IN, 512, false, 0) | 4 << QueueEngine.TOKEN_CPAGE_SHIFT);
        rig.qh(QH, qhLink(QH2), epchar(1, LoopbackDevice.IN_EP, 512, true, false, 0), 0, TD);
        rig.qh(QH2, qhLink(QH), epchar(1, LoopbackDevice.IN_EP, 512, false, false, 0), 0, TD + 0x20);
        rig.reg(Ehci.ASYNCLISTADDR, (int) QH);
        loop.load(new byte[512]);
        rig.step(2 * UF);
        assertThat(rig.qtdToken(TD) & (TOKEN_ACTIVE | TOKEN_HALTED | TOKEN_XACTERR)).isEqualTo(TOKEN_HALTED | TOKEN_XACTERR);
        assertThat(rig.qtdToken(TD + 0x20) & (TOKEN_ACTIVE | TOKEN_HALTED | QueueEngine.TOKEN_DBE))
                .isEqualTo(TOKEN_HALTED | QueueEngine.TOKEN_DBE);
        assertThat(rig.warned("reserved PID code 3")).isTrue();
        assertThat(rig.warned("past its fifth buffer page")).isTrue();
        assertThat(loop.storedBytes()).as("nothing was read from the device").isEqualTo(512);
    }
}
