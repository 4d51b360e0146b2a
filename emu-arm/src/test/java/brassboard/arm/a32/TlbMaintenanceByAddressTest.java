package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.core.Cp15;
import brassboard.arm.core.Modes;
import brassboard.arm.core.Psr;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import org.junit.jupiter.api.Test;

/**
 * TLB maintenance by address (TLBIMVA, ARM ARM B4.2.2) drops exactly the translations of the block or
 * page holding the address — from the TLB, the data fast path and the code cache's virtual table — and
 * keeps every other one: a section's whole translation goes when any address in it is named, and a page
 * outside it is not translated again.
 */
class TlbMaintenanceByAddressTest {
    private static final int L1 = 0x4000;
    private static final int L2 = 0x3000;
    private static final int PAGES = 0x4000_0000;   // 4 KiB pages through the table at L2
    private static final int SECTION = 0x4010_0000; // one 1 MiB section

    private final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
    private final ArmCpu cpu;
    private final Cp15 cp15;

    TlbMaintenanceByAddressTest() {
        bus.map(0, new Ram("ram", 0x40_0000));
        cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        cpu.reset(0x8000);
        cpu.setCompileThreshold(1);
        cp15 = cpu.cp15();
        put(L1, 0x0000_0C0E);                       // VA 0-1 MiB flat, AP 011, Normal
        put(L1 + (0x400 << 2), L2 | 1);             // VA 0x40000000: page table, domain 0
        put(L1 + (0x401 << 2), section(0x10_0000)); // VA 0x40100000: section at PA 1 MiB
        mcr(2, 0, 0, L1);
        mcr(3, 0, 0, 0x5555_5555);
        mcr(1, 0, 0, Cp15.SCTLR_RESET | Cp15.SCTLR_M);
    }

    private void put(long address, int... words) {
        for (int i = 0; i < words.length; i++) {
            bus.write(address + 4L * i, 4, words[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
    }

    private void mcr(int crn, int crm, int opc2, int value) {
        assertThat(cp15.mcr(0, crn, crm, opc2, value, true)).isTrue();
    }

    private void tlbimva(int va) {
        mcr(8, 7, 1, va);
    }

    private static int section(int pa) {
        return pa | 0b11 << 10 | 1 << 3 | 0b10;
    }

    private static int page(int pa) {
        return pa | 0b11 << 4 | 1 << 3 | 0b10;
    }

    private void runAt(int va, int steps) {
        cpu.setCpsr((cpu.cpsr() & ~Psr.M) | Modes.SVC);
        cpu.setReg(15, va);
        cpu.run(steps);
    }

    @Test
    void onlyThePageNamedIsTranslatedAgain() {
        put(0x8000, 0xE5915000, 0xE5926000, 0xEAFFFFFE); // ldr r5, [r1] ; ldr r6, [r2] ; b .
        put(L2 + 4 * 0x10, page(0x6_0000));                // VA 0x40010000
        put(L2 + 4 * 0x11, page(0x6_1000));                // VA 0x40011000
        put(0x6_0000, 0x6000);
        put(0x6_1000, 0x6100);
        cpu.setReg(1, PAGES + 0x1_0000);
        cpu.setReg(2, PAGES + 0x1_1000);
        runAt(0x8000, 2);
        assertThat(cpu.reg(5)).isEqualTo(0x6000);
        assertThat(cpu.reg(6)).isEqualTo(0x6100);
        long fills = cpu.translationCacheFills();

        tlbimva(PAGES + 0x1_0000);
        runAt(0x8000, 2);
        assertThat(cpu.reg(5)).isEqualTo(0x6000);
        assertThat(cpu.reg(6)).isEqualTo(0x6100);
        // the page named is entered again; the other data page and the code page stay where they were
        assertThat(cpu.translationCacheFills() - fills).isEqualTo(1);
    }

    @Test
    void aRemappedPageIsSeenAfterTlbMaintenanceOfItsAddressOnly() {
        put(0x8000, 0xE5915000, 0xE5926000, 0xEAFFFFFE); // ldr r5, [r1] ; ldr r6, [r2] ; b .
        put(L2 + 4 * 0x10, page(0x6_0000));
        put(L2 + 4 * 0x11, page(0x6_1000));
        put(0x6_0000, 0x6000);
        put(0x6_1000, 0x6100);
        put(0x7_0000, 0x7000);
        put(0x7_1000, 0x7100);
        cpu.setReg(1, PAGES + 0x1_0000);
        cpu.setReg(2, PAGES + 0x1_1000);
        runAt(0x8000, 2);
        put(L2 + 4 * 0x10, page(0x7_0000));
        put(L2 + 4 * 0x11, page(0x7_1000));
        tlbimva(PAGES + 0x1_1000);
        runAt(0x8000, 2);
        assertThat(cpu.reg(5)).as("no maintenance for this page yet: the old translation stands").isEqualTo(0x6000);
        assertThat(cpu.reg(6)).isEqualTo(0x7100);
        tlbimva(PAGES + 0x1_0000);
        runAt(0x8000, 2);
        assertThat(cpu.reg(5)).isEqualTo(0x7000);
    }

    @Test
    void anyAddressOfASectionDropsTheDataTranslationsOfTheWholeSection() {
        put(0x8000, 0xE5915000, 0xE5926000, 0xEAFFFFFE); // ldr r5, [r1] ; ldr r6, [r2] ; b .
        put(0x10_0000, 0x1000);
        put(0x10_5000, 0x1500);
        put(0x20_0000, 0x2000);
        put(0x20_5000, 0x2500);
        cpu.setReg(1, SECTION);
        cpu.setReg(2, SECTION + 0x5000);
        runAt(0x8000, 2);
        assertThat(cpu.reg(5)).isEqualTo(0x1000);
        assertThat(cpu.reg(6)).isEqualTo(0x1500); // both pages now in the data fast path

        put(L1 + (0x401 << 2), section(0x20_0000));
        tlbimva(SECTION + 0xF_F000); // the section's last page, read by nobody
        runAt(0x8000, 2);
        assertThat(cpu.reg(5)).isEqualTo(0x2000);
        assertThat(cpu.reg(6)).isEqualTo(0x2500);
    }

    @Test
    void anyAddressOfASectionDropsTheCodeTranslationsOfTheWholeSection() {
        put(0x10_3000, 0xE3A00001, 0xE2822001, 0xEAFFFFFD); // mov r0, #1 ; loop: add r2, r2, #1 ; b loop
        put(0x20_3000, 0xE3A00002, 0xE2822001, 0xEAFFFFFD); // mov r0, #2 ; ...
        runAt(SECTION + 0x3000, 200);
        assertThat(cpu.reg(0)).isEqualTo(1);
        assertThat(cpu.blocksCompiled()).isPositive();

        put(L1 + (0x401 << 2), section(0x20_0000));
        tlbimva(PAGES); // another block's address: nothing of the section goes
        runAt(SECTION + 0x3000, 200);
        assertThat(cpu.reg(0)).isEqualTo(1);
        tlbimva(SECTION + 0x8_0000); // an address in the section, on another page than the code
        runAt(SECTION + 0x3000, 200);
        assertThat(cpu.reg(0)).isEqualTo(2);
    }

    @Test
    void withTheMmuOffTlbMaintenanceByAddressKeepsRunningFromPhysicalAddresses() {
        mcr(1, 0, 0, Cp15.SCTLR_RESET);
        put(0x9000, 0xE3A00001, 0xE2822001, 0xEAFFFFFD);
        runAt(0x9000, 50);
        tlbimva(0x9000);
        cpu.setReg(0, 0);
        runAt(0x9000, 50);
        assertThat(cpu.reg(0)).isEqualTo(1);
    }
}
