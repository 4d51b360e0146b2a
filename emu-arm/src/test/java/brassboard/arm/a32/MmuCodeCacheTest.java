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
 * With the MMU on, pre-decoded pages, translated blocks and the data fast path follow the
 * mapping: after TLB maintenance a virtual page runs (and reads) what its new physical page holds,
 * and a page the current privilege level may not execute is not run from the cache. TLB maintenance
 * by address (TLBIMVA; ARM ARM B3.10) drops exactly the translations of the block or page holding the
 * address — a section's whole translation when any address in it is named — and keeps every other.
 */
class MmuCodeCacheTest {
    private static final int L1 = 0x4000;
    private static final int L2 = 0x3000; // below the 16 KiB L1 table
    private static final int CODE_A = 0x20000;
    private static final int CODE_B = 0x30000;
    private static final int VA = 0x4000_0000;
    private static final int SECTION = 0x4010_0000; // one 1 MiB section, at PA 1 MiB until a test moves it

    private final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
    private final ArmCpu cpu;
    private final Cp15 cp15;

    MmuCodeCacheTest() {
        bus.map(0, new Ram("ram", 0x40_0000));
        cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        cpu.reset(0x8000);
        cpu.setCompileThreshold(1);
        cp15 = cpu.cp15();
    }

    private void put(long address, int... words) {
        for (int i = 0; i < words.length; i++) {
            bus.write(address + 4L * i, 4, words[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
    }

    private void mcr(int crn, int crm, int opc2, int value) {
        assertThat(cp15.mcr(0, crn, crm, opc2, value, true)).isTrue();
    }

    /** VA 0-1 MiB flat; VA 0x40000000: a page table; MMU on. */
    private void tables() {
        put(L1, 0x0000_0C0E);                   // section 0 -> PA 0, AP 011, Normal
        put(L1 + (0x400 << 2), L2 | 1);         // VA 0x40000000: page table, domain 0
        put(L1 + (0x401 << 2), section(0x10_0000));
        mcr(2, 0, 0, L1);
        mcr(3, 0, 0, 0x5555_5555);
        mcr(1, 0, 0, Cp15.SCTLR_RESET | Cp15.SCTLR_M);
    }

    private static int section(int pa) {
        return pa | 0b11 << 10 | 1 << 3 | 0b10;
    }

    private void tlbimva(int va) {
        mcr(8, 7, 1, va);
    }

    private static int page(int pa, int ap) {
        return pa | ((ap >> 2) & 1) << 9 | (ap & 3) << 4 | 1 << 3 | 0b10;
    }

    private void runAt(int va, int steps) {
        cpu.setCpsr((cpu.cpsr() & ~Psr.M) | Modes.SVC);
        cpu.setReg(15, va);
        cpu.run(steps);
    }

    /** Where the data tests' programs (at 0x8000) end: b . */
    private static final int DATA_END = 0x8008;

    /**
     * Runs from {@code va} to the data tests' final b . (at threshold 1, translated): a budget of just the
     * loads and stores would leave them to the interpreter, the whole program not fitting in it.
     */
    private void runToEnd(int va) {
        runAt(va, 100);
        assertThat(cpu.pc()).isEqualTo(DATA_END);
        assertThat(cpu.blocksCompiled()).isPositive();
    }

    @Test
    void aRemappedPageRunsItsNewCodeAfterTlbMaintenance() {
        put(CODE_A, 0xE3A00001, 0xE2822001, 0xEAFFFFFD); // mov r0, #1 ; loop: add r2, r2, #1 ; b loop
        put(CODE_B, 0xE3A00002, 0xE2822001, 0xEAFFFFFD); // mov r0, #2 ; ...
        tables();
        put(L2, page(CODE_A, 0b011));
        runAt(VA, 200);
        assertThat(cpu.reg(0)).isEqualTo(1);
        assertThat(cpu.blocksCompiled()).isPositive();
        long compiled = cpu.blocksCompiled();

        put(L2, page(CODE_B, 0b011));
        runAt(VA, 200);
        assertThat(cpu.reg(0)).as("the TLB still holds the old mapping").isEqualTo(1);
        mcr(8, 7, 1, VA); // TLBIMVA
        runAt(VA, 200);
        assertThat(cpu.reg(0)).isEqualTo(2);

        // Back to A: its decoded page and blocks are found again, not translated anew
        put(L2, page(CODE_A, 0b011));
        mcr(8, 7, 0, 0); // TLBIALL
        long before = cpu.blocksCompiled();
        runAt(VA, 200);
        assertThat(cpu.reg(0)).isEqualTo(1);
        assertThat(cpu.blocksCompiled()).isEqualTo(before);
        assertThat(before).isGreaterThan(compiled);
    }

    @Test
    void onePhysicalPageAtTwoVirtualAddressesKeepsItsOwnPcs() {
        put(CODE_A, 0xE1A0000F, 0xE2822001, 0xEAFFFFFD); // mov r0, pc ; loop: add r2, r2, #1 ; b loop
        tables();
        put(L2 + 4, page(CODE_A, 0b011));  // VA 0x40001000
        put(L2 + 8, page(CODE_A, 0b011));  // VA 0x40002000
        runAt(VA + 0x1000, 200);
        assertThat(cpu.reg(0)).isEqualTo(VA + 0x1008);
        assertThat(cpu.pc() & ~0xFFF).isEqualTo(VA + 0x1000);
        runAt(VA + 0x2000, 200);
        assertThat(cpu.reg(0)).isEqualTo(VA + 0x2008);
        assertThat(cpu.pc() & ~0xFFF).isEqualTo(VA + 0x2000);
    }

    @Test
    void aPl1OnlyPageIsNotRunInUserModeFromTheCache() {
        put(CODE_A, 0xE2822001, 0xEAFFFFFD); // loop: add r2, r2, #1 ; b loop
        tables();
        put(L2, page(CODE_A, 0b001));         // PL1 only
        runAt(VA, 200);
        assertThat(cpu.mode()).isEqualTo(Modes.SVC);
        cpu.setCpsr((cpu.cpsr() & ~Psr.M) | Modes.USR);
        cpu.setReg(15, VA);
        cpu.run(1);
        assertThat(cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(cp15.ifsr()).isEqualTo(0x00F);
        assertThat(cp15.ifar()).isEqualTo(VA);
    }

    @Test
    void theDataFastPathFollowsTheMapping() {
        put(0x8000, 0xE5810000, 0xE5913000, 0xEAFFFFFE); // str r0, [r1] ; ldr r3, [r1] ; b .
        tables();
        put(L2 + 0x40, page(0x60000, 0b011));          // VA 0x40010000 -> PA 0x60000
        cpu.setReg(0, 0x1111);
        cpu.setReg(1, VA + 0x10000);
        runToEnd(0x8000);
        assertThat(bus.read(0x60000, 4, Masters.DEBUG)).isEqualTo(0x1111);
        put(L2 + 0x40, page(0x70000, 0b011));          // remap to PA 0x70000
        put(0x70000, 0x2222);
        mcr(8, 7, 0, 0);
        runToEnd(0x8004);
        assertThat(cpu.reg(3)).isEqualTo(0x2222);
        cpu.setReg(0, 0x3333);
        runToEnd(0x8000);
        assertThat(bus.read(0x70000, 4, Masters.DEBUG)).isEqualTo(0x3333);
        assertThat(bus.read(0x60000, 4, Masters.DEBUG)).isEqualTo(0x1111);
    }

    @Test
    void turningTheMmuOffRunsFromPhysicalAddressesAgain() {
        put(CODE_A, 0xE3A00001, 0xE2822001, 0xEAFFFFFD);
        tables();
        put(L2, page(CODE_A, 0b011));
        runAt(VA, 50);
        assertThat(cpu.reg(0)).isEqualTo(1);
        mcr(1, 0, 0, Cp15.SCTLR_RESET);
        cpu.setReg(0, 0);
        runAt(CODE_A, 50);
        assertThat(cpu.reg(0)).isEqualTo(1);
        assertThat(cpu.mode()).isEqualTo(Modes.SVC);
    }

    @Test
    void aProgramThatRemapsAndFlushesSeesTheNewMapping() {
        put(0x8000,
                0xE5915000,   // ldr r5, [r1]      old mapping, now in the TLB and the fast path
                0xE5832000,   // str r2, [r3]      rewrite the level 2 descriptor
                0xE5916000,   // ldr r6, [r1]      still the old mapping: no TLB maintenance yet
                0xEE080F17,   // mcr p15, 0, r0, c8, c7, 0   TLBIALL
                0xE5914000,   // ldr r4, [r1]
                0xEAFFFFFE);  // b .
        tables();
        put(L2 + 0x40, page(0x60000, 0b011));
        put(0x60000, 0x6666);
        put(0x70000, 0x7777);
        cpu.setReg(1, VA + 0x10000);
        cpu.setReg(2, page(0x70000, 0b011));
        cpu.setReg(3, L2 + 0x40);
        for (int pass = 0; pass < 2; pass++) { // the second pass runs translated blocks
            put(L2 + 0x40, page(0x60000, 0b011));
            mcr(8, 7, 0, 0);
            runAt(0x8000, 6);
            assertThat(cpu.reg(5)).isEqualTo(0x6666);
            assertThat(cpu.reg(6)).isEqualTo(0x6666);
            assertThat(cpu.reg(4)).isEqualTo(0x7777);
        }
    }

    @Test
    void onlyThePageNamedIsTranslatedAgain() {
        tables();
        put(0x8000, 0xE5915000, 0xE5926000, 0xEAFFFFFE); // ldr r5, [r1] ; ldr r6, [r2] ; b .
        put(L2 + 4 * 0x10, page(0x6_0000, 0b011));                // VA 0x40010000
        put(L2 + 4 * 0x11, page(0x6_1000, 0b011));                // VA 0x40011000
        put(0x6_0000, 0x6000);
        put(0x6_1000, 0x6100);
        cpu.setReg(1, VA + 0x1_0000);
        cpu.setReg(2, VA + 0x1_1000);
        runToEnd(0x8000);
        assertThat(cpu.reg(5)).isEqualTo(0x6000);
        assertThat(cpu.reg(6)).isEqualTo(0x6100);
        long fills = cpu.translationCacheFills();

        tlbimva(VA + 0x1_0000);
        runToEnd(0x8000);
        assertThat(cpu.reg(5)).isEqualTo(0x6000);
        assertThat(cpu.reg(6)).isEqualTo(0x6100);
        // the page named is entered again; the other data page and the code page stay where they were
        assertThat(cpu.translationCacheFills() - fills).isEqualTo(1);
    }

    @Test
    void aRemappedPageIsSeenAfterTlbMaintenanceOfItsAddressOnly() {
        tables();
        put(0x8000, 0xE5915000, 0xE5926000, 0xEAFFFFFE); // ldr r5, [r1] ; ldr r6, [r2] ; b .
        put(L2 + 4 * 0x10, page(0x6_0000, 0b011));
        put(L2 + 4 * 0x11, page(0x6_1000, 0b011));
        put(0x6_0000, 0x6000);
        put(0x6_1000, 0x6100);
        put(0x7_0000, 0x7000);
        put(0x7_1000, 0x7100);
        cpu.setReg(1, VA + 0x1_0000);
        cpu.setReg(2, VA + 0x1_1000);
        runToEnd(0x8000);
        put(L2 + 4 * 0x10, page(0x7_0000, 0b011));
        put(L2 + 4 * 0x11, page(0x7_1000, 0b011));
        tlbimva(VA + 0x1_1000);
        runToEnd(0x8000);
        assertThat(cpu.reg(5)).as("no maintenance for this page yet: the old translation stands").isEqualTo(0x6000);
        assertThat(cpu.reg(6)).isEqualTo(0x7100);
        tlbimva(VA + 0x1_0000);
        runToEnd(0x8000);
        assertThat(cpu.reg(5)).isEqualTo(0x7000);
    }

    @Test
    void anyAddressOfASectionDropsTheDataTranslationsOfTheWholeSection() {
        tables();
        put(0x8000, 0xE5915000, 0xE5926000, 0xEAFFFFFE); // ldr r5, [r1] ; ldr r6, [r2] ; b .
        put(0x10_0000, 0x1000);
        put(0x10_5000, 0x1500);
        put(0x20_0000, 0x2000);
        put(0x20_5000, 0x2500);
        cpu.setReg(1, SECTION);
        cpu.setReg(2, SECTION + 0x5000);
        runToEnd(0x8000);
        assertThat(cpu.reg(5)).isEqualTo(0x1000);
        assertThat(cpu.reg(6)).isEqualTo(0x1500); // both pages now in the data fast path

        put(L1 + (0x401 << 2), section(0x20_0000));
        tlbimva(SECTION + 0xF_F000); // the section's last page, read by nobody
        runToEnd(0x8000);
        assertThat(cpu.reg(5)).isEqualTo(0x2000);
        assertThat(cpu.reg(6)).isEqualTo(0x2500);
    }

    @Test
    void anyAddressOfASectionDropsTheCodeTranslationsOfTheWholeSection() {
        tables();
        put(0x10_3000, 0xE3A00001, 0xE2822001, 0xEAFFFFFD); // mov r0, #1 ; loop: add r2, r2, #1 ; b loop
        put(0x20_3000, 0xE3A00002, 0xE2822001, 0xEAFFFFFD); // mov r0, #2 ; ...
        runAt(SECTION + 0x3000, 200);
        assertThat(cpu.reg(0)).isEqualTo(1);
        assertThat(cpu.blocksCompiled()).isPositive();

        put(L1 + (0x401 << 2), section(0x20_0000));
        tlbimva(VA); // another block's address: nothing of the section goes
        runAt(SECTION + 0x3000, 200);
        assertThat(cpu.reg(0)).isEqualTo(1);
        tlbimva(SECTION + 0x8_0000); // an address in the section, on another page than the code
        runAt(SECTION + 0x3000, 200);
        assertThat(cpu.reg(0)).isEqualTo(2);
    }

    @Test
    void withTheMmuOffTlbMaintenanceByAddressKeepsRunningFromPhysicalAddresses() {
        put(0x9000, 0xE3A00001, 0xE2822001, 0xEAFFFFFD);
        runAt(0x9000, 50);
        tlbimva(0x9000);
        cpu.setReg(0, 0);
        runAt(0x9000, 50);
        assertThat(cpu.reg(0)).isEqualTo(1);
    }

    @Test
    void aDacrWriteTakesEffectAtOnceAndOnlyForTheDomainsItChanges() {
        put(0x8000, 0xE5915000, 0xE5926000, 0xEAFFFFFE); // ldr r5, [r1] ; ldr r6, [r2] ; b .
        put(0x10, 0xEAFFFFFE);                           // the data abort vector: b .
        tables();
        put(L1 + (0x401 << 2), section(0x10_0000) | 1 << 5); // the section in domain 1
        put(L2 + 4 * 0x10, page(0x6_0000, 0b011));        // VA 0x40010000, domain 0
        put(0x10_0000, 0x1000);
        put(0x6_0000, 0x6000);
        cpu.setReg(1, SECTION);
        cpu.setReg(2, VA + 0x1_0000);
        runToEnd(0x8000);
        assertThat(cpu.reg(5)).isEqualTo(0x1000);
        assertThat(cpu.reg(6)).isEqualTo(0x6000);
        long fills = cpu.translationCacheFills();

        mcr(3, 0, 0, 0x5555_5551); // domain 1: no access
        cpu.setReg(6, 0);
        runToEnd(0x8004);
        assertThat(cpu.reg(6)).isEqualTo(0x6000);
        assertThat(cpu.translationCacheFills()).as("domain 0's data and code translations stand").isEqualTo(fills);
        runAt(0x8000, 100); // the load faults in the translation; the handler is b .
        assertThat(cpu.pc()).isEqualTo(0x10);
        assertThat(cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(cp15.dfsr()).isEqualTo(0x019); // domain fault on a section, domain 1
        assertThat(cp15.dfar()).isEqualTo(SECTION);

        mcr(3, 0, 0, 0x5555_5555); // client again
        cpu.setReg(5, 0);
        runToEnd(0x8000);
        assertThat(cpu.reg(5)).isEqualTo(0x1000);
    }

    @Test
    void codeInADomainSwitchedToNoAccessIsNotRunFromTheCache() {
        tables();
        put(L1 + (0x401 << 2), section(0x10_0000) | 1 << 5); // the section in domain 1
        put(0x10_3000, 0xE3A00001, 0xE2822001, 0xEAFFFFFD); // mov r0, #1 ; loop: add r2, r2, #1 ; b loop
        runAt(SECTION + 0x3000, 200);
        assertThat(cpu.reg(0)).isEqualTo(1);
        assertThat(cpu.blocksCompiled()).isPositive();

        mcr(3, 0, 0, 0x5555_5551); // domain 1: no access
        runAt(SECTION + 0x3000, 1);
        assertThat(cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(cp15.ifsr() & 0x40F).isEqualTo(0b01001); // domain fault on a section
        assertThat(cp15.ifar()).isEqualTo(SECTION + 0x3000);
    }
}
