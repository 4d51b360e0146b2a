package brassboard.devices.wifi;

import static brassboard.devices.wifi.WifiBaseband.*;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.api.FaultSite;
import brassboard.bus.pcie.ConfigSpace;
import brassboard.bus.pcie.PcieEndpoint;
import org.junit.jupiter.api.Test;

/** The baseband at the register level, virtual time stepped: identity, boot, SPI master, rings, interrupts, reset, errors. */
class WifiBasebandTest {
    private final WifiRig rig = new WifiRig();

    /** Booted, rings set up, RF tuned to {@code channel} and calibrated, all causes unmasked. */
    private WifiRig ready(int channel, int rxDescriptors) {
        rig.booted();
        rig.tune(channel);
        rig.calibrate();
        rig.rxRing(rxDescriptors);
        rig.txRing(8);
        rig.read(ICR);
        rig.read(RFEVT);
        rig.write(RFEVT, -1);
        return rig;
    }

    @Test
    void configurationSpaceHasTheInventedIdentityOneBarAndMsi() {
        assertThat(rig.cfgRead(0x00, 4)).isEqualTo(0x0211_B5B0L);
        assertThat(rig.cfgRead(0x08, 4)).isEqualTo(0x0280_0001L);
        assertThat(rig.cfgRead(0x2C, 4)).isEqualTo(0x0211_B5B0L);
        assertThat(rig.cfgRead(0x3D, 1)).isEqualTo(1); // INTA
        rig.cfgWrite(0x10, 4, 0xFFFF_FFFFL);
        assertThat(rig.cfgRead(0x10, 4)).isEqualTo(0xFFFF_0000L); // 64 KiB, 32-bit memory
        assertThat(rig.bb.endpoint().config().findCapability(ConfigSpace.CAP_ID_MSI)).isPositive();
    }

    @Test
    void firmwareBootsFor200usThenSetsFwrdyAndItsCause() {
        rig.enable();
        rig.write(IMS, FWRDY);
        rig.write(RDLEN, 4096); // ignored while booting
        rig.step(BOOT_NS - 1);
        assertThat(rig.read(STATUS) & STATUS_FWRDY).isZero();
        assertThat(rig.intx()).isFalse();
        rig.step(1);
        assertThat(rig.read(STATUS) & STATUS_FWRDY).isEqualTo(STATUS_FWRDY);
        assertThat(rig.intx()).isTrue();
        assertThat(rig.read(RDLEN)).isZero();
        assertThat(rig.read(ICR)).isEqualTo(FWRDY | INT_ASSERTED);
        assertThat(rig.intx()).isFalse();
        assertThat(rig.read(ICR)).isZero();
        assertThat(rig.read(FWVER)).isEqualTo(0x0001_0000);
        assertThat(rig.read(RAL0)).isEqualTo(RAL_RESET);
        assertThat(rig.read(RAH0)).isEqualTo(0x8000_0100);
    }

    @Test
    void ctrlRstResetsRegistersAndTheRfAndBootsAgain() {
        ready(6, 8);
        rig.write(IMS, FWRDY | RXT0);
        rig.write(ITR, 100);
        rig.write(CTRL, CTRL_RST);
        assertThat(rig.read(CTRL)).isZero();
        assertThat(rig.read(STATUS)).isZero();
        assertThat(rig.read(IMS)).isZero();
        assertThat(rig.read(RDLEN)).isZero();
        assertThat(rig.read(ITR)).isZero();
        assertThat(rig.rf.rxLocked()).isFalse();
        rig.step(BOOT_NS);
        assertThat(rig.read(STATUS)).isEqualTo(STATUS_FWRDY);
        assertThat(rig.read(ICR) & FWRDY).isEqualTo(FWRDY);
        assertThat(rig.read(RFEVT)).isZero();
    }

    @Test
    void spiMasterShiftsAWordIn800nsAtTheResetClockAndReadsTheRf() {
        rig.booted();
        rig.cs(true);
        rig.write(SPIDATA, 0x00);
        assertThat(rig.read(SPISTAT) & SpiMaster.STAT_BUSY).isEqualTo(1);
        rig.step(799);
        assertThat(rig.read(SPISTAT) & SpiMaster.STAT_BUSY).isEqualTo(1);
        rig.write(SPIDATA, 0x55); // dropped: busy
        assertThat(rig.read(SPISTAT) & SpiMaster.STAT_OVR).isEqualTo(SpiMaster.STAT_OVR);
        rig.step(1);
        assertThat(rig.read(SPISTAT) & (SpiMaster.STAT_BUSY | SpiMaster.STAT_DONE)).isEqualTo(SpiMaster.STAT_DONE);
        rig.spiWord(RfTransceiver.PRODUCT_ID);
        assertThat(rig.spiWord(0)).isEqualTo(RfTransceiver.PRODUCT_ID_VALUE);
        rig.cs(false);
        rig.write(SPISTAT, -1);
        assertThat(rig.read(SPISTAT)).isZero();
        assertThat(rig.rfRead(RfTransceiver.RFPLL_DIVIDERS)).isEqualTo(0x11);
        // a word with no chip select reads all ones; 16-bit frames at DIV=0 (50 MHz) take 320 ns
        rig.write(SPICTL, 15 << 8);
        rig.write(SPIDATA, 0x1234);
        rig.step(319);
        assertThat(rig.read(SPISTAT) & SpiMaster.STAT_BUSY).isEqualTo(1);
        rig.step(1);
        assertThat(rig.read(SPIDATA)).isEqualTo(0xFFFF);
    }

    @Test
    void spiInAModeTheRfDoesNotTakeGarblesTheData() {
        rig.booted();
        rig.write(SPICTL, 7 << 8 | 1 << 17); // mode 1
        rig.cs(true);
        rig.spiWord(0x00);
        rig.spiWord(RfTransceiver.PRODUCT_ID);
        assertThat(rig.spiWord(0)).isNotEqualTo(RfTransceiver.PRODUCT_ID_VALUE);
    }

    @Test
    void tuningOverSpiRaisesRfEventsAndRfstatShowsTheLock() {
        rig.booted();
        rig.write(IMS, RFEV);
        rig.read(ICR);
        rig.tune(6);
        assertThat(rig.read(RFSTAT) & 5).isEqualTo(5);
        assertThat(rig.read(RFEVT)).isEqualTo(EV_RXLOCK | EV_TXLOCK);
        assertThat(rig.intx()).isTrue();
        assertThat(rig.read(ICR) & RFEV).isEqualTo(RFEV);
        rig.write(RFEVT, EV_RXLOCK);
        assertThat(rig.read(RFEVT)).isEqualTo(EV_TXLOCK);
        rig.rfWrite(RfTransceiver.CALIBRATION_CTRL, RfTransceiver.RX_QUAD);
        assertThat(rig.read(RFSTAT) & 16).isEqualTo(16);
        rig.step(RfTransceiver.CALIBRATION_TIME_NS);
        assertThat(rig.read(RFEVT) & EV_CALDONE).isEqualTo(EV_CALDONE);
        assertThat(rig.rfRead(RfTransceiver.RX_CP_OVERRANGE_VCO_LOCK)).isEqualTo(RfTransceiver.VCO_LOCK);
    }

    @Test
    void receivedFramesLandInTheRingWithTheirDescriptorsWrittenBack() {
        ready(6, 8);
        byte[] f = Air.frame(0, 100, 1);
        assertThat(rig.bb.receive(f, 6)).isTrue();
        assertThat(rig.ramBytes(WifiRig.RX_BUFFERS, 100)).isEqualTo(f);
        long d = WifiRig.RX_RING;
        assertThat(rig.ramWord(d + 8)).isEqualTo(100);                         // length, checksum 0
        assertThat(rig.ramWord(d + 12)).isEqualTo(6L << 16 | DESC_DD | RDESC_EOP); // status, errors, special = channel
        assertThat(rig.read(RDH)).isEqualTo(1);
        assertThat(rig.read(ICR)).isEqualTo(RXT0);
        assertThat(rig.read(GPRC)).isEqualTo(1);
        assertThat(rig.read(GPRC)).isZero(); // clear on read
    }

    @Test
    void aFullRingDropsFramesAsOverrunsAndTheDriverGivingBackDescriptorsResumes() {
        ready(4, 8); // 7 usable descriptors
        for (int i = 0; i < 9; i++) {
            rig.bb.receive(Air.frame(i, 64, 0), 4);
        }
        assertThat(rig.read(RDH)).isEqualTo(7);
        assertThat(rig.read(MPC)).isEqualTo(2);
        assertThat(rig.read(ICR)).isEqualTo(RXT0 | RXO);
        rig.write(RDT, 2); // give back descriptors 7, 0, 1
        assertThat(rig.bb.receive(Air.frame(9, 64, 0), 4)).isTrue();
        assertThat(rig.read(RDH)).isEqualTo(0);
        assertThat(rig.ramWord(WifiRig.RX_BUFFERS + 7 * 4096 + 32)).isEqualTo(9); // frame number 9 in descriptor 7
    }

    @Test
    void framesAreMissedUnlessRxIsOnLockedOnTheChannelAndCalibrated() {
        rig.booted();
        rig.rxRing(8);
        assertThat(rig.bb.receive(Air.frame(0, 64, 0), 6)).isFalse(); // not tuned
        rig.tune(6);
        assertThat(rig.bb.receive(Air.frame(1, 64, 0), 6)).isFalse(); // not calibrated
        rig.calibrate();
        assertThat(rig.bb.receive(Air.frame(2, 64, 0), 1)).isFalse(); // another channel
        assertThat(rig.bb.receive(Air.frame(3, 64, 0), 6)).isTrue();
        rig.write(RCTL, 0);
        assertThat(rig.bb.receive(Air.frame(4, 64, 0), 6)).isFalse(); // receiver off
        assertThat(rig.read(RFMISS)).isEqualTo(4);
    }

    @Test
    void framesLongerThanTheBufferAreDroppedAndCounted() {
        ready(6, 8);
        rig.write(RCTL, RCTL_EN | 3 << 16); // 256-byte buffers
        assertThat(rig.bb.receive(Air.frame(0, 257, 0), 6)).isFalse();
        assertThat(rig.bb.receive(Air.frame(1, 256, 0), 6)).isTrue();
        assertThat(rig.read(ROC)).isEqualTo(1);
    }

    @Test
    void transmitTakesTheFramesAirtimeThenWritesDdAndRaisesTxdwAndTxqe() {
        ready(6, 8);
        byte[] a = Air.frame(7, 60, 3);
        rig.ramLoad(WifiRig.TX_BUFFERS, a);
        rig.txDescriptor(0, WifiRig.TX_BUFFERS, 40, 0);
        rig.txDescriptor(1, WifiRig.TX_BUFFERS + 40, 20, TDESC_CMD_EOP | TDESC_CMD_RS);
        long t0 = rig.scheduler.now();
        rig.write(TDT, 2);
        long air = WifiTx.airtimeNs(60);
        assertThat(air).isEqualTo(20_000 + 8_889);
        rig.step(air - 1);
        assertThat(rig.sent).isEmpty();
        rig.step(1);
        assertThat(rig.sent).hasSize(1);
        assertThat(rig.sent.get(0)).isEqualTo(a);
        assertThat(rig.sentAt.get(0)).isEqualTo(t0 + air);
        assertThat(rig.ramWord(WifiRig.TX_RING + 12) & 0xF).isZero();          // no RS: not written back
        assertThat(rig.ramWord(WifiRig.TX_RING + 16 + 12) & 0xF).isEqualTo(DESC_DD);
        assertThat(rig.read(TDH)).isEqualTo(2);
        assertThat(rig.read(ICR)).isEqualTo(TXDW | TXQE);
        assertThat(rig.read(GPTC)).isEqualTo(1);
    }

    @Test
    void framesQueueBackToBackAndAnUnlockedTransmitterMarksThemNotSent() {
        ready(6, 8);
        rig.ramLoad(WifiRig.TX_BUFFERS, Air.frame(0, 100, 0));
        rig.txDescriptor(0, WifiRig.TX_BUFFERS, 100, TDESC_CMD_EOP | TDESC_CMD_RS);
        rig.txDescriptor(1, WifiRig.TX_BUFFERS, 100, TDESC_CMD_EOP | TDESC_CMD_RS);
        rig.write(TDT, 2);
        rig.step(WifiTx.airtimeNs(100));
        assertThat(rig.sent).hasSize(1);
        assertThat(rig.read(TDH)).isEqualTo(1);
        FaultSite s = new FaultSite();
        s.access(-1, 0, -1, false, 0).action = RfTransceiver.PLL_UNLOCK;
        rig.faults.find("rf.rf0").orElseThrow().perform(s);
        rig.step(WifiTx.airtimeNs(100));
        assertThat(rig.sent).hasSize(1);
        assertThat(rig.ramWord(WifiRig.TX_RING + 16 + 12) & 0xF).isEqualTo(DESC_DD | TDESC_NTX);
        assertThat(rig.read(RFEVT) & (EV_RXUNLOCK | EV_TXUNLOCK)).isEqualTo(EV_RXUNLOCK | EV_TXUNLOCK);
    }

    @Test
    void icrClearsOnReadAndOnWritingOnesIcsSetsCausesImcMasks() {
        rig.booted();
        rig.read(ICR);
        rig.write(ICS, RXT0 | TXDW);
        assertThat(rig.intx()).isFalse(); // masked
        rig.write(IMS, RXT0);
        assertThat(rig.intx()).isTrue();
        assertThat(rig.read(IMS)).isEqualTo(RXT0);
        rig.write(ICR, RXT0);
        assertThat(rig.intx()).isFalse();
        rig.write(ICS, RXT0);
        rig.write(IMC, RXT0);
        assertThat(rig.intx()).isFalse();
        assertThat(rig.read(IMS)).isZero();
        assertThat(rig.read(ICR)).isEqualTo(RXT0 | TXDW);
        assertThat(rig.read(IMC)).isZero();
        assertThat(rig.read(ICS)).isZero();
    }

    @Test
    void itrAllowsOneAssertionPerIntervalWhateverTheFrameRate() {
        ready(6, 64);
        rig.write(ITR, 3906); // ~1 ms
        rig.write(IMS, RXT0);
        rig.intxAssertions = 0;
        int delivered = 0;
        for (int i = 0; i < 100; i++) { // 100 frames over 1 ms
            delivered += rig.bb.receive(Air.frame(i, 64, 0), 6) ? 1 : 0;
            if (rig.intx()) {
                rig.read(ICR); // the top half acks
            }
            rig.write(RDT, (rig.read(RDH) + 63) % 64); // and the poll gives buffers back
            rig.step(10_000);
        }
        assertThat(delivered).isEqualTo(100);
        assertThat(rig.intxAssertions).isEqualTo(2); // at 0 and at ~1 ms
        rig.write(ITR, 0);
        rig.read(ICR);
        rig.intxAssertions = 0;
        for (int i = 0; i < 10; i++) {
            rig.bb.receive(Air.frame(i, 64, 0), 6);
            rig.read(ICR);
            rig.write(RDT, (rig.read(RDH) + 63) % 64);
        }
        assertThat(rig.intxAssertions).isEqualTo(10);
    }

    @Test
    void msiSendsOneMessagePerAssertionInsteadOfIntx() {
        ready(6, 8);
        int cap = rig.bb.endpoint().config().findCapability(ConfigSpace.CAP_ID_MSI);
        rig.cfgWrite(cap + ConfigSpace.MSI_ADDRESS_LO, 4, WifiRig.DOORBELL + 0x40);
        rig.cfgWrite(cap + ConfigSpace.MSI_ADDRESS_LO + 4, 4, 0);
        rig.cfgWrite(cap + ConfigSpace.MSI_ADDRESS_LO + 8, 2, 80);
        rig.cfgWrite(cap + ConfigSpace.MSI_CONTROL, 2, ConfigSpace.MSI_CONTROL_ENABLE);
        rig.write(IMS, RXT0);
        rig.bb.receive(Air.frame(0, 64, 0), 6);
        rig.bb.receive(Air.frame(1, 64, 0), 6); // still pending: no second message
        assertThat(rig.msis).containsExactly(80L);
        assertThat(rig.intx()).isFalse();
        rig.read(ICR);
        rig.bb.receive(Air.frame(2, 64, 0), 6);
        assertThat(rig.msis).containsExactly(80L, 80L);
    }

    @Test
    void aDmaErrorHaltsTheReceiverAndSaysWhy() {
        ready(6, 8);
        rig.write(IMS, ERR);
        rig.cfgWrite(ConfigSpace.COMMAND, 2, ConfigSpace.COMMAND_MEMORY); // bus master off
        assertThat(rig.bb.receive(Air.frame(0, 64, 0), 6)).isFalse();
        assertThat(rig.read(ERRSTAT)).isEqualTo(ERR_RXDMA);
        assertThat(rig.read(STATUS)).isEqualTo(STATUS_FWRDY | STATUS_RXHALT);
        assertThat(rig.read(RCTL) & RCTL_EN).isZero();
        assertThat(rig.read(RXERRC)).isEqualTo(1);
        assertThat(rig.intx()).isTrue();
        assertThat(rig.trace("wifi.rx.halt")).singleElement().asString().contains("MASTER_DISABLED");
        rig.cfgWrite(ConfigSpace.COMMAND, 2, ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER);
        rig.write(RCTL, RCTL_EN | 1 << 25 | 3 << 16);
        assertThat(rig.read(STATUS)).isEqualTo(STATUS_FWRDY);
        assertThat(rig.bb.receive(Air.frame(1, 64, 0), 6)).isTrue();
    }

    @Test
    void ringRegistersThatMakeNoSenseStopTheEngine() {
        ready(6, 8);
        rig.write(RDT, 9); // beyond an 8-descriptor ring
        assertThat(rig.bb.receive(Air.frame(0, 64, 0), 6)).isFalse();
        assertThat(rig.read(ERRSTAT)).isEqualTo(ERR_RXRING);
        rig.write(TDLEN, 0);
        rig.write(TDT, 1);
        assertThat(rig.read(ERRSTAT)).isEqualTo(ERR_RXRING | ERR_TXRING);
        assertThat(rig.read(STATUS) & STATUS_TXHALT).isEqualTo(STATUS_TXHALT);
        assertThat(rig.read(TCTL)).isZero();
    }

    @Test
    void linkDownMidTransmitFailsTheWriteBackAndTheDriverMustReset() {
        ready(6, 8);
        rig.write(IMS, ERR);
        rig.ramLoad(WifiRig.TX_BUFFERS, Air.frame(0, 1000, 0));
        rig.txDescriptor(0, WifiRig.TX_BUFFERS, 1000, TDESC_CMD_EOP | TDESC_CMD_RS);
        rig.write(TDT, 1);
        FaultSite s = new FaultSite();
        s.access(-1, 0, -1, false, 0).action = PcieEndpoint.LINK_DOWN;
        var link = rig.faults.find("pcie.wifi0.link").orElseThrow();
        link.perform(s);
        assertThat(rig.read(STATUS)).isEqualTo(-1); // BAR reads all-ones
        rig.step(WifiTx.airtimeNs(1000));
        assertThat(rig.intx()).isFalse(); // INTx deasserted while down
        s.access(-1, 0, -1, false, 0).action = PcieEndpoint.LINK_UP;
        link.perform(s);
        assertThat(rig.intx()).isTrue();
        assertThat(rig.read(ERRSTAT)).isEqualTo(ERR_TXDMA);
        assertThat(rig.read(STATUS) & STATUS_TXHALT).isEqualTo(STATUS_TXHALT);
        assertThat(rig.trace("wifi.tx.halt")).singleElement().asString().contains("LINK_DOWN");
        rig.write(CTRL, CTRL_RST);
        rig.step(BOOT_NS);
        assertThat(rig.read(STATUS)).isEqualTo(STATUS_FWRDY);
    }

    @Test
    void rxFaultPointCorruptsFailsFcsForcesOverflowAndDrops() {
        ready(6, 8);
        var point = rig.faults.find("wifi.wifi0.rx").orElseThrow();
        String[] next = {null};
        rig.faults.arm(point, (p, site) -> {
            if (next[0] == null) {
                return;
            }
            switch (next[0]) {
                case DROP -> site.dropped = true;
                case CORRUPT -> {
                    site.action = CORRUPT;
                    site.value = 42;
                    site.size = 3;
                }
                default -> site.action = next[0];
            }
        });
        byte[] f = Air.frame(0, 64, 0);
        next[0] = CORRUPT;
        assertThat(rig.bb.receive(f, 6)).isTrue();
        byte[] got = rig.ramBytes(WifiRig.RX_BUFFERS, 64);
        int flipped = 0;
        for (int i = 0; i < 64; i++) {
            flipped += Integer.bitCount((got[i] ^ f[i]) & 0xFF);
        }
        assertThat(flipped).isBetween(1, 3);
        assertThat(got).isEqualTo(WifiBaseband.corrupt(f, 42, 3));
        next[0] = FCS_ERROR;
        assertThat(rig.bb.receive(f, 6)).isFalse(); // SBP clear: dropped
        rig.write(RCTL, rig.read(RCTL) | RCTL_SBP);
        assertThat(rig.bb.receive(f, 6)).isTrue();
        assertThat(rig.ramWord(WifiRig.RX_RING + 16 + 12) >>> 8 & 0xFF).isEqualTo(RDESC_CE);
        assertThat(rig.read(CRCERRS)).isEqualTo(2);
        next[0] = RING_OVERFLOW;
        rig.read(ICR);
        assertThat(rig.bb.receive(f, 6)).isFalse();
        assertThat(rig.read(MPC)).isEqualTo(1);
        assertThat(rig.read(ICR)).isEqualTo(RXO);
        next[0] = DROP;
        assertThat(rig.bb.receive(f, 6)).isFalse();
        assertThat(rig.read(RFMISS)).isEqualTo(1);
        assertThat(rig.read(RDH)).isEqualTo(2);
    }

    @Test
    void aResetWhileLockedSendsNoInterruptForTheLockTheRfLoses() {
        ready(6, 8);
        int cap = rig.bb.endpoint().config().findCapability(ConfigSpace.CAP_ID_MSI);
        rig.cfgWrite(cap + ConfigSpace.MSI_ADDRESS_LO, 4, WifiRig.DOORBELL);
        rig.cfgWrite(cap + ConfigSpace.MSI_ADDRESS_LO + 8, 2, 80);
        rig.cfgWrite(cap + ConfigSpace.MSI_CONTROL, 2, ConfigSpace.MSI_CONTROL_ENABLE);
        rig.write(IMS, RFEV);
        rig.write(CTRL, CTRL_RST);
        assertThat(rig.msis).isEmpty();
        assertThat(rig.read(ICR)).isZero();
    }

    @Test
    void aPciResetResetsTheDeviceToo() {
        ready(6, 8);
        rig.bridge.reset();
        assertThat(rig.bb.ready()).isFalse();
        assertThat(rig.rf.rxLocked()).isFalse();
        rig.enable();
        rig.step(BOOT_NS);
        assertThat(rig.read(STATUS)).isEqualTo(STATUS_FWRDY);
    }
}
