package brassboard.arm.core;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;

/**
 * Address translation with page tables built in the test RAM (128 KiB at 0, code at 0x8000), both
 * formats: what maps where, and the exact DFSR / DFAR / IFSR / IFAR of each fault (ARM ARM B3.13).
 * VA 0-1 MiB is mapped flat so that the code and the vectors stay where they are.
 */
class MmuTest {
    private static final int L1 = 0x4000;
    private static final int L2 = 0x3000; // below the 16 KiB L1 table
    private static final int DATA = 0x10000;

    private static final int LDR = 0xE5910000;        // ldr r0, [r1]
    private static final int STR = 0xE5810000;        // str r0, [r1]
    private static final int LDR_PLUS_1 = 0xE5910001; // ldr r0, [r1, #1]
    private static final int LDRT = 0xE4B10000;       // ldrt r0, [r1], #0

    private final Harness h = new Harness();
    private final Cp15 cp15 = h.cpu.cp15();

    private void word(int address, int value) {
        h.ram.putWords(address & 0xFFFF_FFFFL, value);
    }

    private void mcr(int crn, int crm, int opc2, int value) {
        assertThat(cp15.mcr(0, crn, crm, opc2, value, true)).isTrue();
    }

    // ---------------------------------------------------------------- short descriptors

    static int section(int pa, int ap, int domain) {
        return (pa & 0xFFF0_0000) | ((ap >> 2) & 1) << 15 | (ap & 3) << 10 | domain << 5 | 0b10;
    }

    static int smallPage(int pa, int ap) {
        return (pa & ~0xFFF) | ((ap >> 2) & 1) << 9 | (ap & 3) << 4 | 0b10;
    }

    private void shortTables(int sctlrExtra) {
        word(L1, section(0, 0b011, 0) | 1 << 3 | 1 << 2); // VA 0-1 MiB flat, Normal
        mcr(2, 0, 0, L1);               // TTBR0
        mcr(3, 0, 0, 0x5555_5555);      // DACR: every domain Client
        mcr(1, 0, 0, Cp15.SCTLR_RESET | Cp15.SCTLR_M | sctlrExtra);
    }

    private void run(int... code) {
        h.code(code);
        h.cpu.setCpsr((h.cpu.cpsr() & ~Psr.M) | Modes.SVC);
        h.cpu.setReg(15, Harness.CODE);
        h.run(code.length);
    }

    private void assertDataAbort(int dfsr, int dfar) {
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(h.cpu.pc()).isEqualTo(0x10);
        assertThat(cp15.dfsr()).as("DFSR").isEqualTo(dfsr);
        assertThat(cp15.dfar()).as("DFAR").isEqualTo(dfar);
    }

    @Test
    void aSectionMapsOneMebibyte() {
        shortTables(0);
        word(L1 + (0x400 << 2), section(0, 0b011, 0)); // VA 0x40000000 -> PA 0
        word(DATA + 0x10, 0x1234_5678);
        h.reg(1, 0x4001_0010);
        run(LDR);
        assertThat(h.r(0)).isEqualTo(0x1234_5678);
        h.reg(0, 0xCAFE).reg(1, 0x4001_0020);
        run(STR);
        assertThat(h.ram.word(DATA + 0x20)).isEqualTo(0xCAFE);
    }

    @Test
    void smallAndLargePagesThroughASecondLevelTable() {
        shortTables(0);
        word(L1 + (0x800 << 2), L2 | 3 << 5 | 1);             // VA 0x80000000: page table, domain 3
        word(L2 + (3 << 2), smallPage(0x11000, 0b011));        // VA 0x80003000 -> PA 0x11000
        int large = 0x10000 | 0b011 << 4 | 0b01;               // 64 KiB page at PA 0x10000
        for (int i = 0; i < 16; i++) {
            word(L2 + ((0x10 + i) << 2), large);               // VA 0x80010000..0x8001FFFF
        }
        word(0x11010, 0xAAAA_0001);
        word(0x1F234, 0xBBBB_0002);
        h.reg(1, 0x8000_3010);
        run(LDR);
        assertThat(h.r(0)).isEqualTo(0xAAAA_0001);
        h.reg(1, 0x8001_F234);
        run(LDR);
        assertThat(h.r(0)).isEqualTo(0xBBBB_0002);
    }

    @Test
    void aDebugTranslationWalksWithoutFillingTheTlbOrTakingAnAbort() {
        shortTables(0);
        word(L1 + (0x800 << 2), L2 | 3 << 5 | 1);          // VA 0x80000000: page table, domain 3
        word(L2 + (3 << 2), smallPage(0x11000, 0b011));     // VA 0x80003000 -> PA 0x11000
        h.reg(1, 0x9000_0004);
        run(LDR);                                           // a translation fault: DFSR 0x005
        assertThat(h.cpu.debugTranslate(0x8000_3010)).isEqualTo(0x11010);
        assertThat(h.cpu.debugTranslate(0x8000_0010)).as("the same VA via the flat section").isEqualTo(-1);
        assertThat(h.cpu.debugTranslate(0x9000_0000)).as("unmapped").isEqualTo(-1);
        assertThat(h.cpu.peekTranslation(0x8000_3010, false)).as("nothing went into the TLB").isEqualTo(-1);
        assertDataAbort(0x005, 0x9000_0004);
        word(L1, 0);                                        // MMU off: VA is PA
        mcr(1, 0, 0, Cp15.SCTLR_RESET);
        assertThat(h.cpu.debugTranslate(0x8000_3010)).isEqualTo(0x8000_3010L);
    }

    /**
     * The data fast path keeps translations whose MMU TLB entry an instruction fetch has since evicted;
     * peekTranslation (what a poll-warp probe asks) still finds them, without a walk.
     */
    @Test
    void aPeekFindsATranslationTheDataFastPathStillHolds() {
        // the data fast path needs a real address space (the harness's test RAM has none)
        brassboard.bus.api.AddressSpace bus = new brassboard.bus.api.AddressSpace(brassboard.bus.api.Tracer.none(),
                new brassboard.bus.api.FaultPoints());
        bus.map(0, new brassboard.bus.api.Ram("ram", 0x20000));
        java.util.function.BiConsumer<Integer, Integer> put = (address, value) ->
                bus.write(address, 4, value & 0xFFFF_FFFFL, brassboard.bus.api.Masters.DEBUG);
        brassboard.arm.api.ArmCpu cpu = new brassboard.arm.api.ArmCpu(0, bus, brassboard.arm.api.CpuCallbacks.NONE);
        cpu.setCompileBlocks(false);
        put.accept(Harness.CODE, LDR);
        put.accept(Harness.CODE + 4, LDR);
        put.accept(L1, section(0, 0b011, 0) | 1 << 3 | 1 << 2);     // VA 0-1 MiB flat, Normal
        put.accept(L1 + (0x800 << 2), L2 | 1);                      // VA 0x80000000: page table
        put.accept(L2 + (3 << 2), smallPage(0x11000, 0b011));       // VA 0x80003000 -> PA 0x11000
        put.accept(L1 + (0x801 << 2), (L2 + 0x400) | 1);            // VA 0x80100000: page table
        put.accept(L2 + 0x400 + (3 << 2), smallPage(Harness.CODE, 0b011)); // VA 0x80103000 -> the code
        put.accept(0x11010, 0x1234_5678);
        cpu.reset(Harness.CODE);
        cpu.setCpsr((cpu.cpsr() & ~Psr.M) | Modes.SVC);
        Cp15 cp = cpu.cp15();
        assertThat(cp.mcr(0, 2, 0, 0, L1, true)).isTrue();
        assertThat(cp.mcr(0, 3, 0, 0, 0x5555_5555, true)).isTrue();
        assertThat(cp.mcr(0, 1, 0, 0, Cp15.SCTLR_RESET | Cp15.SCTLR_M, true)).isTrue();
        cpu.setReg(1, 0x8000_3010);
        cpu.setReg(15, Harness.CODE);
        cpu.run(1);                                         // fills the TLB and the data fast path
        assertThat(cpu.reg(0)).isEqualTo(0x1234_5678);
        cpu.setReg(1, DATA);
        cpu.setReg(15, 0x8010_3004);                        // the same code, fetched through VA 0x80103004:
        cpu.run(1);                                         // its translation takes the TLB entry of 0x80003000
        assertThat(cpu.pc()).isEqualTo(0x8010_3008);
        assertThat(cpu.peekTranslation(0x8000_3010, false)).isEqualTo(0x11010);
        assertThat(cpu.peekTranslation(0x8000_3010, true)).as("never written: no write translation held").isEqualTo(-1);
    }

    @Test
    void aSupersectionMapsSixteenMebibytes() {
        shortTables(0);
        int desc = 1 << 18 | 0b11 << 10 | 0b10; // PA 0, AP = 011
        for (int i = 0; i < 16; i++) {
            word(L1 + ((0x010 + i) << 2), desc); // VA 0x01000000..0x01FFFFFF
        }
        word(DATA + 4, 0x5050_5050);
        h.reg(1, 0x0101_0004);
        run(LDR);
        assertThat(h.r(0)).isEqualTo(0x5050_5050);
    }

    @Test
    void translationFaultsAtEachLevel() {
        shortTables(0);
        h.reg(1, 0x9000_0004);
        run(LDR);
        assertDataAbort(0x005, 0x9000_0004);
        h.reg(0, 1).reg(1, 0x9000_0008);
        run(STR);
        assertDataAbort(0x805, 0x9000_0008); // WnR
        word(L1 + (0x800 << 2), L2 | 3 << 5 | 1);
        h.reg(1, 0x8000_5000);
        run(LDR);
        assertDataAbort(0x037, 0x8000_5000); // page translation fault, domain 3
    }

    @Test
    void domainFaultsAndManagerDomains() {
        shortTables(0);
        word(L1 + (0x400 << 2), section(0, 0b101, 2)); // PL1 read-only, domain 2
        mcr(3, 0, 0, 0x5555_5555 & ~(3 << 4));          // domain 2: no access
        h.reg(1, 0x4001_0000);
        run(LDR);
        assertDataAbort(0x029, 0x4001_0000);
        mcr(3, 0, 0, 0x5555_5555 | 3 << 4);              // domain 2: Manager, no permission check
        h.reg(0, 7).reg(1, 0x4001_0000);
        run(STR);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
        assertThat(h.ram.word(DATA)).isEqualTo(7);
    }

    @Test
    void permissionFaults() {
        shortTables(0);
        word(L1 + (0x400 << 2), section(0, 0b101, 1)); // PL1 read-only
        word(L1 + (0x401 << 2), section(0, 0b001, 1)); // PL1 only
        h.reg(1, 0x4001_0000);
        run(LDR);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
        h.reg(1, 0x4001_0000);
        run(STR);
        assertDataAbort(0x81D, 0x4001_0000);
        h.reg(1, 0x4011_0000);
        run(LDRT); // checked against PL0 permissions
        assertDataAbort(0x01D, 0x4011_0000);
    }

    @Test
    void accessFlagFaultsWithTheSimplifiedModel() {
        shortTables(1 << 29); // SCTLR.AFE: AP[0] is the access flag
        word(L1 + (0x400 << 2), section(0, 0b010, 0)); // AP[0] = 0
        h.reg(1, 0x4000_0100);
        run(LDR);
        assertDataAbort(0x003, 0x4000_0100);
    }

    @Test
    void executeNeverGivesAPrefetchAbort() {
        shortTables(0);
        word(L1 + (0x400 << 2), section(0, 0b011, 0) | 1 << 4); // XN
        word(Harness.CODE + 0x100, 0xE12FFF11);                  // bx r1
        h.reg(1, 0x4000_8000);
        h.cpu.setReg(15, Harness.CODE + 0x100);
        h.run(2);
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(h.cpu.pc()).isEqualTo(0x0C);
        assertThat(cp15.ifsr()).isEqualTo(0x00D);
        assertThat(cp15.ifar()).isEqualTo(0x4000_8000);
    }

    @Test
    void unalignedAccessToDeviceMemoryIsAnAlignmentFault() {
        shortTables(0);
        word(L1 + (0x400 << 2), section(0, 0b011, 0) | 1 << 2); // TEX 000 C 0 B 1: Device
        word(L1 + (0x401 << 2), section(0, 0b011, 0) | 1 << 3); // Normal
        word(DATA, 0x4433_2211);
        word(DATA + 4, 0x8877_6655);
        h.reg(1, 0x4010_0000 + DATA);
        run(LDR_PLUS_1);
        assertThat(h.r(0)).isEqualTo(0x5544_3322);
        h.reg(1, 0x4000_0000 + DATA);
        run(LDR_PLUS_1);
        assertDataAbort(0x001, 0x4001_0001);
    }

    @Test
    void aBusErrorOnTheWalkIsAnExternalAbortOnTranslationTableWalk() {
        shortTables(0);
        word(L1 + (0x800 << 2), Harness.NOWHERE | 1); // page table out in nothing
        h.reg(1, 0x8000_0000);
        run(LDR);
        assertDataAbort(0x00E, 0x8000_0000);
    }

    @Test
    void aChangedDescriptorIsSeenOnlyAfterTlbMaintenance() {
        shortTables(0);
        word(L1 + (0x400 << 2), section(0, 0b011, 0));
        word(DATA + 0x3000, 42);
        h.reg(1, 0x4001_3000);
        run(LDR);
        assertThat(h.r(0)).isEqualTo(42);
        word(L1 + (0x400 << 2), 0); // unmapped in memory, but still in the TLB
        h.reg(0, 0).reg(1, 0x4001_3000);
        run(LDR);
        assertThat(h.r(0)).as("stale until invalidated").isEqualTo(42);
        mcr(8, 7, 1, 0x4000_0000); // TLBIMVA of another page of the same section
        h.reg(1, 0x4001_3000);
        run(LDR);
        assertDataAbort(0x005, 0x4001_3000);
    }

    @Test
    void innerShareableTlbMaintenanceReachesTheOtherCoresOfTheDomain() {
        brassboard.arm.api.ArmCpu other = new brassboard.arm.api.ArmCpu(1, h.ram, brassboard.arm.api.CpuCallbacks.NONE);
        brassboard.arm.api.ArmCpu.shareInnerDomain(java.util.List.of(h.cpu, other));
        shortTables(0);
        Cp15 otherCp15 = other.cp15();
        assertThat(otherCp15.mcr(0, 2, 0, 0, L1, true)).isTrue();
        assertThat(otherCp15.mcr(0, 3, 0, 0, 0x5555_5555, true)).isTrue();
        assertThat(otherCp15.mcr(0, 1, 0, 0, Cp15.SCTLR_RESET | Cp15.SCTLR_M, true)).isTrue();
        word(L1 + (0x400 << 2), section(0, 0b011, 0));
        word(DATA + 0x3000, 42);
        h.code(LDR);
        Runnable otherLoads = () -> {
            other.setCpsr((other.cpsr() & ~Psr.M) | Modes.SVC);
            other.setReg(0, 0);
            other.setReg(1, 0x4001_3000);
            other.setReg(15, Harness.CODE);
            other.run(1);
        };
        otherLoads.run();
        assertThat(other.reg(0)).isEqualTo(42); // now in core 1's TLB
        word(L1 + (0x400 << 2), 0);
        mcr(8, 7, 0, 0); // TLBIALL on core 0: core 1 keeps its entry
        otherLoads.run();
        assertThat(other.reg(0)).as("core 1 stale after core 0's local TLBIALL").isEqualTo(42);
        mcr(8, 3, 1, 0x4001_3000); // TLBIMVAIS: reaches core 1
        otherLoads.run();
        assertThat(other.mode()).isEqualTo(Modes.ABT);
        assertThat(otherCp15.dfsr()).isEqualTo(0x005);
        // the same with TLBIALLIS
        word(L1 + (0x400 << 2), section(0, 0b011, 0));
        mcr(8, 3, 0, 0);
        otherLoads.run();
        assertThat(other.reg(0)).isEqualTo(42);
        word(L1 + (0x400 << 2), 0);
        mcr(8, 3, 0, 0); // TLBIALLIS
        otherLoads.run();
        assertThat(other.mode()).isEqualTo(Modes.ABT);
    }

    @Test
    void ttbcrNSplitsBetweenTtbr0AndTtbr1() {
        shortTables(0);
        // N = 1: VA >= 0x80000000 through TTBR1 (its L1 table at 0x1C000), below through TTBR0 (8 KiB table)
        word(0x1C000 + (0xC00 << 2), section(0, 0b011, 0)); // VA 0xC0000000 -> PA 0
        mcr(2, 0, 1, 0x1C000);
        mcr(2, 0, 2, 1);
        word(DATA + 8, 99);
        h.reg(1, 0xC001_0008);
        run(LDR);
        assertThat(h.r(0)).isEqualTo(99);
        mcr(2, 0, 2, 1 | 1 << 5); // PD1: no walks through TTBR1
        h.reg(1, 0xC001_0008);
        run(LDR);
        assertDataAbort(0x005, 0xC001_0008);
    }

    @Test
    void addressTranslationOperationsWritePar() {
        shortTables(0);
        word(L1 + (0x400 << 2), section(0, 0b101, 0)); // PL1 read-only
        mcr(7, 8, 0, 0x4001_2345); // ATS1CPR
        assertThat(cp15.mrc(0, 7, 4, 0, true)).isEqualTo(0x0001_2000L | 1 << 9);
        mcr(7, 8, 1, 0x4001_2345); // ATS1CPW: permission fault
        assertThat(cp15.mrc(0, 7, 4, 0, true)).isEqualTo((0x0DL << 1) | 1);
    }

    // ---------------------------------------------------------------- long descriptors (LPAE)

    private static final int LL1 = 0x1E000;
    private static final int LL2 = 0x1F000;
    private static final int LL3 = 0x1D000;
    private static final long AF = 1 << 10;

    private void lword(int address, long value) {
        word(address, (int) value);
        word(address + 4, (int) (value >>> 32));
    }

    /** A block or page: AttrIndx, AP[2:1], AF; {@code page} sets bit 1 (a level 3 page). */
    static long leaf(long pa, int attrIndex, int ap, boolean page) {
        return pa | AF | ap << 6 | attrIndex << 2 | (page ? 3 : 1);
    }

    private void longTables(int sctlrExtra) {
        lword(LL1, LL2 | 3);                      // VA 0-1 GiB: level 2 table
        lword(LL2, leaf(0, 0, 0b01, false));      // VA 0-2 MiB: flat block
        lword(LL2 + 8, LL3 | 3);                  // VA 2-4 MiB: level 3 table
        mcr(10, 2, 0, 0x0000_04FF);               // MAIR0: attr 0 Normal write-back, attr 1 Device
        mcr(2, 0, 2, Cp15.TTBCR_EAE);             // T0SZ = 0, T1SZ = 0: TTBR0 only
        assertThat(cp15.mcrr(0, 2, LL1 | 0x0012_0000_0000_0000L, true)).isTrue(); // TTBR0, ASID 0x12
        mcr(3, 0, 0, 0x5555_5555);
        mcr(1, 0, 0, Cp15.SCTLR_RESET | Cp15.SCTLR_M | sctlrExtra);
    }

    @Test
    void longDescriptorBlocksAndPagesAtEachLevel() {
        longTables(0);
        lword(LL1 + 8, leaf(0, 0, 0b01, false));          // VA 0x40000000: 1 GiB block at PA 0
        lword(LL3 + 3 * 8, leaf(0x11000, 0, 0b01, true)); // VA 0x00203000 -> PA 0x11000
        word(DATA + 0x40, 0x0102_0304);
        word(0x11010, 0x0506_0708);
        h.reg(1, 0x4001_0040);
        run(LDR);
        assertThat(h.r(0)).isEqualTo(0x0102_0304);
        h.reg(1, 0x0020_3010);
        run(LDR);
        assertThat(h.r(0)).isEqualTo(0x0506_0708);
        h.reg(1, DATA + 0x40);
        run(LDR); // level 2 block: flat
        assertThat(h.r(0)).isEqualTo(0x0102_0304);
    }

    @Test
    void longDescriptorFaultsUseTheLongFormat() {
        longTables(0);
        lword(LL3 + 4 * 8, leaf(0x11000, 0, 0b01, true) & ~AF);
        lword(LL3 + 6 * 8, leaf(0x11000, 0, 0b10, true));  // PL1 read-only
        h.reg(1, 0xC000_0000);
        run(LDR);
        assertDataAbort(0x205, 0xC000_0000);  // translation, level 1
        h.reg(1, 0x0040_0000);
        run(LDR);
        assertDataAbort(0x206, 0x0040_0000);  // translation, level 2
        h.reg(1, 0x0020_5000);
        run(LDR);
        assertDataAbort(0x207, 0x0020_5000);  // translation, level 3
        h.reg(1, 0x0020_4000);
        run(LDR);
        assertDataAbort(0x20B, 0x0020_4000);  // access flag, level 3
        h.reg(1, 0x0020_6000);
        run(STR);
        assertDataAbort(0xA0F, 0x0020_6000);  // permission, level 3, WnR
        h.reg(1, DATA + 2);
        run(0xE1910F9F);                       // ldrex r0, [r1]: misaligned
        assertDataAbort(0x221, DATA + 2);      // alignment, long format
    }

    @Test
    void longDescriptorDeviceMemoryAndTableAttributes() {
        longTables(0);
        lword(LL3 + 7 * 8, leaf(0x10000, 1, 0b01, true)); // Device
        h.reg(1, 0x0020_7001);
        run(LDR);
        assertDataAbort(0x221, 0x0020_7001);
        // APTable = 10 (read-only) on the level 2 entry for VA 4-6 MiB
        lword(LL2 + 16, LL3 | 3 | 2L << 61);
        lword(LL3, leaf(0x10000, 0, 0b01, true));
        h.reg(1, 0x0040_0000);
        run(LDR);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
        run(STR);
        assertDataAbort(0xA0F, 0x0040_0000);
    }

    @Test
    void longDescriptorT1szSplitsTheAddressSpace() {
        longTables(0);
        // T0SZ = 1, T1SZ = 1: VA 0x80000000 and up through TTBR1 (starting at level 1 as well)
        int l1b = 0x1C000;
        lword(l1b, leaf(0, 0, 0b01, false)); // VA 0x80000000: 1 GiB block at PA 0
        mcr(2, 0, 2, Cp15.TTBCR_EAE | 1 | 1 << 16);
        assertThat(cp15.mcrr(1, 2, l1b, true)).isTrue();
        word(DATA, 0x77);
        h.reg(1, 0x8001_0000);
        run(LDR);
        assertThat(h.r(0)).isEqualTo(0x77);
        mcr(2, 0, 2, Cp15.TTBCR_EAE | 1 | 1 << 16 | 1 << 23); // EPD1
        h.reg(1, 0x8001_0000);
        run(LDR);
        assertDataAbort(0x205, 0x8001_0000);
    }

    @Test
    void longDescriptorExecuteNeverAndPar() {
        longTables(0);
        lword(LL3 + 8 * 8, leaf(0, 0, 0b01, true) | 1L << 54); // XN
        word(Harness.CODE + 0x100, 0xE12FFF11);                // bx r1
        h.reg(1, 0x0020_8000);
        h.cpu.setReg(15, Harness.CODE + 0x100);
        h.run(2);
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(cp15.ifsr()).isEqualTo(0x20F);
        assertThat(cp15.ifar()).isEqualTo(0x0020_8000);
        mcr(7, 8, 0, 0x0020_8123); // ATS1CPR
        assertThat(cp15.mrrc(0, 7, true)).isEqualTo(0xFFL << 56 | 1 << 11 | 1 << 9);
        mcr(7, 8, 0, 0x0020_5000); // translation fault, level 3
        assertThat(cp15.mrrc(0, 7, true)).isEqualTo(1 << 11 | 0x07 << 1 | 1);
    }
}
