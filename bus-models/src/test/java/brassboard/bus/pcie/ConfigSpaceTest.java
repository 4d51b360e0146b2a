package brassboard.bus.pcie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A type-0 endpoint header field by field: masks, W1C, BAR sizing, the expansion ROM, the capability chain. */
class ConfigSpaceTest {
    private static ConfigSpace endpoint() {
        return new ConfigSpace(4096, 0x1234, 0xABCD, 2, 0x0C0320)
                .bar(new ConfigSpace.Bar(0, 4096, ConfigSpace.BarKind.MEMORY32, false))
                .bar(new ConfigSpace.Bar(1, 256, ConfigSpace.BarKind.IO, false))
                .bar(new ConfigSpace.Bar(2, 1L << 20, ConfigSpace.BarKind.MEMORY64, true))
                .interruptPin(1)
                .pciExpressEndpoint()
                .msi(4, true, true)
                .powerManagement();
    }

    @Test
    void commandKeepsOnlyItsWritableBits() {
        ConfigSpace cs = endpoint();
        cs.configWrite(ConfigSpace.COMMAND, 2, 0xFFFF);
        // I/O, Memory, Bus Master, Parity Error Response, SERR# Enable, Interrupt Disable
        assertThat(cs.configRead(ConfigSpace.COMMAND, 2)).isEqualTo(0x0547L);
        assertThat(cs.busMaster()).isTrue();
        cs.configWrite(ConfigSpace.COMMAND, 2, ConfigSpace.COMMAND_MEMORY);
        assertThat(cs.busMaster()).isFalse();
    }

    @Test
    void statusReportsTheCapabilityListAndClearsErrorBitsOnlyWhenOneIsWritten() {
        ConfigSpace cs = endpoint();
        assertThat(cs.configRead(ConfigSpace.STATUS, 2)).isEqualTo((long) ConfigSpace.STATUS_CAP_LIST);
        int errors = ConfigSpace.STATUS_DETECTED_PARITY | ConfigSpace.STATUS_RECEIVED_MASTER_ABORT
                | ConfigSpace.STATUS_RECEIVED_TARGET_ABORT | ConfigSpace.STATUS_MASTER_DATA_PARITY;
        cs.assign(ConfigSpace.STATUS, 2, errors | ConfigSpace.STATUS_INTX, true);
        cs.configWrite(ConfigSpace.STATUS, 2, 0); // writing 0 clears nothing
        assertThat(cs.configRead(ConfigSpace.STATUS, 2)).isEqualTo((long) (errors | ConfigSpace.STATUS_INTX | ConfigSpace.STATUS_CAP_LIST));
        cs.configWrite(ConfigSpace.STATUS, 2, ConfigSpace.STATUS_RECEIVED_MASTER_ABORT | ConfigSpace.STATUS_INTX | ConfigSpace.STATUS_CAP_LIST);
        // only the W1C bit written as 1 goes; Interrupt Status and Capabilities List are read-only
        assertThat(cs.configRead(ConfigSpace.STATUS, 2)).isEqualTo((long) (errors & ~ConfigSpace.STATUS_RECEIVED_MASTER_ABORT
                | ConfigSpace.STATUS_INTX | ConfigSpace.STATUS_CAP_LIST));
        // a dword write to Command does not clear Status bits written as 0
        cs.configWrite(ConfigSpace.COMMAND, 4, ConfigSpace.COMMAND_MEMORY);
        assertThat(cs.configRead(ConfigSpace.STATUS, 2) & ConfigSpace.STATUS_DETECTED_PARITY).isNotZero();
    }

    @Test
    void identificationAndInterruptPinAreReadOnlyInterruptLineIsWritable() {
        ConfigSpace cs = endpoint();
        cs.configWrite(0x00, 4, 0);
        cs.configWrite(0x08, 4, 0);
        cs.configWrite(ConfigSpace.INTERRUPT_LINE, 2, 0xFFFF);
        assertThat(cs.configRead(0x00, 4)).isEqualTo(0xABCD_1234L);
        assertThat(cs.configRead(0x08, 4)).isEqualTo(0x0C03_2002L);
        assertThat(cs.configRead(ConfigSpace.INTERRUPT_LINE, 1)).isEqualTo(0xFFL);
        assertThat(cs.configRead(ConfigSpace.INTERRUPT_PIN, 1)).isEqualTo(1L);
        assertThatThrownBy(() -> cs.interruptPin(5)).hasMessageContaining("interrupt pin 5");
    }

    @Test
    void barsSizeAsUbootAndLinuxProbeThem() {
        ConfigSpace cs = endpoint();
        // reset values: type bits only
        assertThat(cs.configRead(0x10, 4)).isEqualTo(0x0L);
        assertThat(cs.configRead(0x14, 4)).isEqualTo(0x1L);
        assertThat(cs.configRead(0x18, 4)).isEqualTo(0xCL); // 64-bit, prefetchable
        for (int off = 0x10; off < 0x28; off += 4) {
            cs.configWrite(off, 4, 0xFFFF_FFFFL);
        }
        assertThat(cs.configRead(0x10, 4)).isEqualTo(0xFFFF_F000L); // 4 KiB memory
        assertThat(cs.configRead(0x14, 4)).isEqualTo(0xFFFF_FF01L); // 256 bytes of I/O
        assertThat(cs.configRead(0x18, 4)).isEqualTo(0xFFF0_000CL); // 1 MiB, 64-bit prefetchable: low dword
        assertThat(cs.configRead(0x1C, 4)).isEqualTo(0xFFFF_FFFFL); // its upper dword
        assertThat(cs.configRead(0x20, 4)).isZero(); // unimplemented BARs read 0 whatever is written
        assertThat(cs.configRead(0x24, 4)).isZero();
        // assignment; decoding only once Command enables the space
        cs.configWrite(0x10, 4, 0x1000_0000L);
        cs.configWrite(0x14, 4, 0x1000L);
        cs.configWrite(0x18, 4, 0x2010_0000L);
        cs.configWrite(0x1C, 4, 0x1L);
        assertThat(cs.barBase(0)).isEqualTo(-1);
        cs.configWrite(ConfigSpace.COMMAND, 2, ConfigSpace.COMMAND_MEMORY);
        assertThat(cs.barBase(0)).isEqualTo(0x1000_0000L);
        assertThat(cs.barBase(1)).isEqualTo(-1); // I/O still off
        assertThat(cs.barBase(2)).isEqualTo(0x1_2010_0000L);
        cs.configWrite(ConfigSpace.COMMAND, 2, ConfigSpace.COMMAND_IO);
        assertThat(cs.barBase(0)).isEqualTo(-1);
        assertThat(cs.barBase(1)).isEqualTo(0x1000L);
    }

    @Test
    void absentExpansionRomReadsZero() {
        ConfigSpace cs = endpoint();
        cs.configWrite(ConfigSpace.EXPANSION_ROM, 4, 0xFFFF_F801L);
        assertThat(cs.configRead(ConfigSpace.EXPANSION_ROM, 4)).isZero();
    }

    /** Walks the list from 0x34 as pci_find_capability does: IDs in order, each header read-only. */
    @Test
    void capabilityChainWalksFrom0x34() {
        ConfigSpace cs = endpoint();
        List<Long> ids = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        int at = (int) cs.configRead(ConfigSpace.CAPABILITIES_POINTER, 1);
        while (at != 0) {
            assertThat(at & 3).isZero();
            assertThat(at).isGreaterThanOrEqualTo(0x40);
            offsets.add(at);
            ids.add(cs.configRead(at, 1));
            cs.configWrite(at, 2, 0xFFFF); // ID and Next are read-only
            at = (int) cs.configRead(at + 1, 1);
        }
        assertThat(ids).containsExactly((long) ConfigSpace.CAP_ID_EXP, (long) ConfigSpace.CAP_ID_MSI, (long) ConfigSpace.CAP_ID_PM);
        assertThat(offsets).containsExactly(0x40, 0x7C, 0x94);
        assertThat(cs.findCapability(ConfigSpace.CAP_ID_MSI)).isEqualTo(0x7C);
        assertThat(cs.findCapability(0x11)).isEqualTo(-1);
        ConfigSpace bare = new ConfigSpace(256, 1, 2, 0, 0);
        assertThat(bare.configRead(ConfigSpace.CAPABILITIES_POINTER, 1)).isZero();
        assertThat(bare.configRead(ConfigSpace.STATUS, 2)).isZero();
    }

    @Test
    void msiCapabilityFields() {
        ConfigSpace cs = endpoint();
        int msi = cs.findCapability(ConfigSpace.CAP_ID_MSI);
        // 64-bit, per-vector masking, Multiple Message Capable = 4 vectors (010b)
        assertThat(cs.configRead(msi + 2, 2)).isEqualTo(0x0184L);
        cs.configWrite(msi + 2, 2, 0xFFFF);
        assertThat(cs.configRead(msi + 2, 2)).isEqualTo(0x01F5L); // Enable and MME stick, the rest is read-only
        cs.configWrite(msi + 4, 4, 0xFFFF_FFFFL);
        assertThat(cs.configRead(msi + 4, 4)).isEqualTo(0xFFFF_FFFCL); // address bits 1:0 reserved
        cs.configWrite(msi + 8, 4, 0x1234_5678L);
        assertThat(cs.configRead(msi + 8, 4)).isEqualTo(0x1234_5678L);
        cs.configWrite(msi + 0x0C, 4, 0xFFFF_FFFFL);
        assertThat(cs.configRead(msi + 0x0C, 4)).isEqualTo(0xFFFFL); // Message Data is 16 bits
        cs.configWrite(msi + 0x10, 4, 0xFFFF_FFFFL);
        assertThat(cs.configRead(msi + 0x10, 4)).isEqualTo(0xFL); // a mask bit per implemented vector
        cs.configWrite(msi + 0x14, 4, 0xFFFF_FFFFL);
        assertThat(cs.configRead(msi + 0x14, 4)).isZero(); // Pending Bits are read-only
        ConfigSpace small = new ConfigSpace(256, 1, 2, 0, 0).msi(1, false, false);
        int m = small.findCapability(ConfigSpace.CAP_ID_MSI);
        assertThat(small.configRead(m + 2, 2)).isZero();
        assertThat(small.msiDataOffset(m)).isEqualTo(m + 8);
        assertThatThrownBy(() -> small.msi(3, false, false)).hasMessageContaining("3 MSI vectors");
    }

    @Test
    void pciExpressCapabilityOfAnEndpoint() {
        ConfigSpace cs = endpoint();
        int exp = cs.findCapability(ConfigSpace.CAP_ID_EXP);
        assertThat(cs.configRead(exp + 2, 2)).isEqualTo(0x0002L); // version 2, Endpoint
        assertThat(cs.configRead(exp + 4, 4)).isEqualTo(0x8000L); // RBER
        assertThat(cs.configRead(exp + 8, 2)).isEqualTo(0x2810L);
        assertThat(cs.configRead(exp + 0x0C, 4) & 0x3FF).isEqualTo(0x11L); // 2.5 GT/s x1
        assertThat(cs.configRead(exp + 0x12, 2)).isEqualTo(0x11L); // link status: 2.5 GT/s, x1
        cs.configWrite(exp + 0x12, 2, 0xFFFF);
        assertThat(cs.configRead(exp + 0x12, 2)).isEqualTo(0x11L);
        cs.assign(exp + 0x0A, 2, ConfigSpace.EXP_DEVSTA_URD | ConfigSpace.EXP_DEVSTA_CED, true);
        cs.configWrite(exp + 0x08, 4, (long) ConfigSpace.EXP_DEVSTA_URD << 16 | 0x2810);
        assertThat(cs.configRead(exp + 0x0A, 2)).isEqualTo((long) ConfigSpace.EXP_DEVSTA_CED);
        assertThat(cs.configRead(0x100, 4)).isZero(); // no extended capabilities
        assertThatThrownBy(() -> new ConfigSpace(256, 1, 2, 0, 0).pciExpressEndpoint()).hasMessageContaining("4096-byte");
    }

    @Test
    void powerManagementCapability() {
        ConfigSpace cs = endpoint();
        int pm = cs.findCapability(ConfigSpace.CAP_ID_PM);
        assertThat(cs.configRead(pm + 2, 2)).isEqualTo(0x3L);
        assertThat(cs.configRead(pm + 4, 2)).isEqualTo(0x8L); // D0, No_Soft_Reset
        cs.configWrite(pm + 4, 2, 0xFFFF);
        assertThat(cs.configRead(pm + 4, 2)).isEqualTo(0xBL); // D3hot
        cs.reset();
        assertThat(cs.configRead(pm + 4, 2)).isEqualTo(0x8L);
    }
}
