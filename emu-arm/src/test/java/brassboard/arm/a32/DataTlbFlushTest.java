package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data fast path is the TLB tag compare alone: what must not go the fast way is kept out of the
 * TLB, and each test here warms the TLB first and then changes one of those conditions, so that it
 * fails if the matching flush is missing. Code decoded in a page drops the write entries into it (on
 * this core and on another), each way CPSR.E gets set (SETEND, MSR, exception return, exception entry
 * with SCTLR.EE) empties the TLB, and arming a fault point or setting an access watcher does too.
 * Every case runs interpreted and translated (compile threshold 1), with single and multiple loads
 * and stores (LDR/STR's {@code tryRead}/{@code tryWrite}, LDM/STM's {@code fastReadIndex}/{@code fastWriteIndex}).
 */
class DataTlbFlushTest {
    private static final long BASE = 0x4000_0000L;
    private static final long P = BASE + 0x10000;
    private static final long D = BASE + 0x20000;
    private static final long VBAR = BASE + 0x8000;
    private final FaultPoints faults = new FaultPoints();
    private final AddressSpace bus = new AddressSpace(Tracer.none(), faults);

    DataTlbFlushTest() {
        bus.map(BASE, new Ram("ram", 0x40000));
    }

    private void put(long address, int... words) {
        for (int i = 0; i < words.length; i++) {
            bus.write(address + 4L * i, 4, words[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
    }

    private ArmCpu cpu(int id, boolean translate, long start) {
        ArmCpu cpu = new ArmCpu(id, bus, CpuCallbacks.NONE);
        if (translate) {
            cpu.setCompileThreshold(1);
        } else {
            cpu.setCompileBlocks(false);
        }
        cpu.reset((int) start);
        return cpu;
    }

    /** B{cond} from {@code from} to {@code to} (cond 0xE: always, 0x1: NE). */
    private static int branch(int cond, long from, long to) {
        return cond << 28 | 0x0A00_0000 | (int) ((to - from - 8) >> 2) & 0xFF_FFFF;
    }

    private static final int STR_R3_R4 = 0xE5843000;   // str r3, [r4]
    private static final int STM_R4_R3 = 0xE8840008;   // stmia r4, {r3}

    @ParameterizedTest(name = "translate={0} stm={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void aStoreIntoAPageWhoseCodeWasDecodedAfterTheWriteEntryWasFilledStillInvalidatesIt(boolean translate, boolean stm) {
        // each pass calls the routine at P, then patches its first instruction to add one more than
        // before: the first patch fills the write entry for P, the next call decodes P again (watching
        // it), and the next patch must still go the slow way and invalidate what was decoded
        put(BASE,
                0xE3A02000,                  // mov r2, #0
                0xE3A05004,                  // mov r5, #4
                0xEB003FFC,                  // loop: bl P
                0xE2833001,                  // add r3, r3, #1
                stm ? STM_R4_R3 : STR_R3_R4, // patch P's first instruction
                0xE2555001,                  // subs r5, r5, #1
                branch(0x1, BASE + 0x18, BASE + 8),
                0xEAFFFFFE);                 // b .
        put(P,
                0xE2822001,                  // add r2, r2, #1 (patched to #2, #3, #4)
                0xE12FFF1E);                 // bx lr
        ArmCpu cpu = cpu(0, translate, BASE);
        cpu.setReg(3, 0xE2822001);
        cpu.setReg(4, (int) P);
        cpu.run(2 + 4 * 7);
        assertThat(cpu.pc()).isEqualTo((int) BASE + 0x1C);
        assertThat(cpu.reg(2)).as("1 + 2 + 3 + 4: each call ran the latest patch").isEqualTo(10);
        if (translate) {
            assertThat(cpu.blocksCompiled()).isPositive();
        }
    }

    @ParameterizedTest(name = "translate={0} stm={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void codeDecodedByOneCoreDropsAnotherCoresWriteEntryForThatPage(boolean translate, boolean stm) {
        // the cores take turns through two flags at D (set in r9 = 1), each run to where it waits: a budget
        // of a step or two would leave the stores (and the calls) to the interpreter
        put(BASE,
                0xEB003FFE,                  // bl P
                0xE5889000,                  // str r9, [r8]           flag 1: P decoded
                0xE5987004,                  // wait: ldr r7, [r8, #4]
                0xE3570000,                  // cmp r7, #0
                0x0AFFFFFC,                  // beq wait
                0xEB003FF9,                  // bl P
                0xEAFFFFFE);                 // b .
        long patcher = BASE + 0x1000;
        put(patcher,
                0xE5846800,                  // str r6, [r4, #0x800]   fills core 1's write entry for P
                0xE5987000,                  // wait: ldr r7, [r8]
                0xE3570000,                  // cmp r7, #0
                0x0AFFFFFC,                  // beq wait
                stm ? STM_R4_R3 : STR_R3_R4, // patch P's first instruction (after core 0 decoded it)
                0xE5889004,                  // str r9, [r8, #4]       flag 2: patched
                0xEAFFFFFE);                 // b .
        put(P,
                0xE2822001,                  // add r2, r2, #1 (patched to #16)
                0xE12FFF1E);                 // bx lr
        put(D, 0, 0);
        ArmCpu core0 = cpu(0, translate, BASE);
        ArmCpu core1 = cpu(1, translate, patcher);
        for (ArmCpu core : new ArmCpu[] {core0, core1}) {
            core.setReg(8, (int) D);
            core.setReg(9, 1);
        }
        core1.setReg(3, 0xE2822010);
        core1.setReg(4, (int) P);
        core1.run(100);
        core0.run(100);
        assertThat(core0.reg(2)).isEqualTo(1);
        core1.run(100);
        assertThat(core1.pc()).isEqualTo((int) patcher + 0x18);
        core0.run(100);
        assertThat(core0.pc()).isEqualTo((int) BASE + 0x18);
        assertThat(core0.reg(2)).as("the second call ran core 1's patch").isEqualTo(0x11);
        if (translate) {
            assertThat(core0.blocksCompiled()).isPositive();
            assertThat(core1.blocksCompiled()).isPositive();
        }
    }

    /** How each case sets CPSR.E between warming the TLB and the accesses that must be big-endian. */
    enum ToBigEndian { SETEND, MSR, EXCEPTION_RETURN, EXCEPTION_ENTRY_WITH_EE }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ToBigEndian.class)
    void settingCpsrEAfterTheTlbIsWarmMakesTheNextAccessesBigEndian(ToBigEndian way) {
        for (boolean translate : new boolean[] {false, true}) {
            List<Integer> code = new ArrayList<>();
            code.add(0xEE0CAF10);                        // mcr p15, 0, r10, c12, c0, 0   VBAR = r10
            if (way == ToBigEndian.EXCEPTION_ENTRY_WITH_EE) {
                code.add(0xEE119F10);                    // mrc p15, 0, r9, c1, c0, 0
                code.add(0xE3899402);                    // orr r9, r9, #0x02000000   SCTLR.EE
                code.add(0xEE019F10);                    // mcr p15, 0, r9, c1, c0, 0
            }
            code.add(0xE3A0B002);                        // mov r11, #2   (two passes: the second runs translated)
            int start = code.size();
            code.add(0xE3A06003);                        // start: mov r6, #3
            int warm = code.size();
            code.add(0xE5904000);                        // warm: ldr r4, [r0]
            code.add(0xE5814000);                        // str r4, [r1]
            code.add(0xE2566001);                        // subs r6, r6, #1
            code.add(branch(0x1, BASE + 4L * code.size(), BASE + 4L * warm));
            switch (way) {
                case SETEND -> code.add(0xF1010200);     // setend be
                case MSR -> code.add(0xE122F009);        // msr cpsr_x, r9   (r9 = E | A)
                default -> code.add(0xEF000000);         // svc #0
            }
            int tail = code.size();
            code.add(0xE5905000);                        // ldr r5, [r0]
            code.add(0xE1D070B0);                        // ldrh r7, [r0]
            code.add(0xE8900100);                        // ldmia r0, {r8}
            code.add(0xE8810020);                        // stmia r1, {r5}
            code.add(0xE5815004);                        // str r5, [r1, #4]
            code.add(0xF1010000);                        // setend le
            code.add(0xE25BB001);                        // subs r11, r11, #1
            code.add(branch(0x1, BASE + 4L * code.size(), BASE + 4L * start));
            int end = code.size();
            code.add(0xEAFFFFFE);                        // b .
            put(BASE, code.stream().mapToInt(Integer::intValue).toArray());
            if (way == ToBigEndian.EXCEPTION_RETURN) {
                put(VBAR + 8,
                        0xE162F009,                      // msr spsr_x, r9   SPSR.E (and A)
                        0xE1B0F00E);                     // movs pc, lr
            } else {
                put(VBAR + 8, branch(0xE, VBAR + 8, BASE + 4L * tail)); // the tail runs in the handler, E from SCTLR.EE
            }
            put(D, 0x11223344, 0, 0, 0x99, 0x99);
            ArmCpu cpu = cpu(0, translate, BASE);
            cpu.setReg(0, (int) D);
            cpu.setReg(1, (int) D + 0xC);
            cpu.setReg(9, 0x300);
            cpu.setReg(10, (int) VBAR);
            cpu.run(400);
            String as = way + " translate=" + translate;
            assertThat(cpu.pc()).as(as).isEqualTo((int) BASE + 4 * end);
            assertThat(cpu.reg(5)).as(as + ": ldr").isEqualTo(0x44332211);
            assertThat(cpu.reg(7)).as(as + ": ldrh").isEqualTo(0x4433);
            assertThat(cpu.reg(8)).as(as + ": ldm").isEqualTo(0x44332211);
            assertThat(bus.read(D + 0xC, 4, Masters.DEBUG)).as(as + ": stm").isEqualTo(0x11223344L);
            assertThat(bus.read(D + 0x10, 4, Masters.DEBUG)).as(as + ": str").isEqualTo(0x11223344L);
            assertThat((cpu.cpsr() >>> 9) & 1).as(as + ": back to little-endian").isZero();
            if (translate) {
                assertThat(cpu.blocksCompiled()).as(as).isPositive();
            }
        }
    }

    /** A loop of LDR, STR, LDM, STM on D's page; r6 counts the passes. */
    private ArmCpu warmLoop(boolean translate) {
        put(BASE,
                0xE5904000,                  // loop: ldr r4, [r0]
                0xE5814000,                  // str r4, [r1]
                0xE8900080,                  // ldmia r0, {r7}
                0xE8820080,                  // stmia r2, {r7}
                0xE2566001,                  // subs r6, r6, #1
                0x1AFFFFF9,                  // bne loop
                0xEAFFFFFE);                 // b .
        put(D, 0x1234_5678);
        ArmCpu cpu = cpu(0, translate, BASE);
        cpu.setReg(0, (int) D);
        cpu.setReg(1, (int) D + 0x100);
        cpu.setReg(2, (int) D + 0x200);
        cpu.setReg(6, 1000);
        cpu.run(6 * 10);
        return cpu;
    }

    @ParameterizedTest(name = "translate={0}")
    @ValueSource(booleans = {false, true})
    void faultPointsArmedAfterTheTlbIsWarmSeeEveryDataAccess(boolean translate) {
        ArmCpu cpu = warmLoop(translate);
        int[] reads = new int[1];
        List<Long> writes = new ArrayList<>();
        FaultPoint read = faults.find("bus.read").orElseThrow();
        FaultPoint write = faults.find("bus.write").orElseThrow();
        faults.arm(read, (p, site) -> {
            if (site.address == D) {
                reads[0]++;
                site.value ^= 0xFF;
            }
        });
        faults.arm(write, (p, site) -> writes.add(site.address));
        cpu.run(6 * 10);
        assertThat(reads[0]).as("ldr and ldm, ten passes").isEqualTo(20);
        assertThat(writes).filteredOn(a -> a == D + 0x100).hasSize(10);
        assertThat(writes).filteredOn(a -> a == D + 0x200).hasSize(10);
        assertThat(cpu.reg(4)).isEqualTo(0x1234_5687);
        assertThat(cpu.reg(7)).isEqualTo(0x1234_5687);
        if (translate) {
            assertThat(cpu.blocksCompiled()).isPositive();
        }
    }

    @ParameterizedTest(name = "translate={0}")
    @ValueSource(booleans = {false, true})
    void anAccessWatcherSetAfterTheTlbIsWarmSeesEveryDataAccess(boolean translate) throws Exception {
        ArmCpu cpu = warmLoop(translate);
        List<Long> seen = new ArrayList<>();
        try (AutoCloseable w = bus.watchAccesses((address, size, master, isWrite) -> {
            if (address >= D && address < D + 0x1000) {
                seen.add(isWrite ? -address : address);
            }
        })) {
            cpu.run(6 * 10);
        }
        assertThat(seen).filteredOn(a -> a == D).hasSize(20);
        assertThat(seen).filteredOn(a -> a == -(D + 0x100)).hasSize(10);
        assertThat(seen).filteredOn(a -> a == -(D + 0x200)).hasSize(10);
    }
}
