package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.api.CpuObserver;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Translated blocks behave exactly as the interpreter: same registers, memory, retired count,
 * exceptions — whatever the budget they run under.
 */
class BlockCompilerTest {
    private static final long BASE = 0x4000_0000L;

    /** loop with ALU, conditional, load/store; then a data abort in the middle of a block. */
    private static final int[] PROGRAM = {
        0xE3A00000, // mov r0, #0
        0xE3A01064, // mov r1, #100
        0xE0800001, // loop: add r0, r0, r1
        0xE0202181, // eor r2, r0, r1, lsl #3
        0xE3110001, // tst r1, #1
        0x12833001, // addne r3, r3, #1
        0xE4840004, // str r0, [r4], #4
        0xE5145004, // ldr r5, [r4, #-4]
        0xE2511001, // subs r1, r1, #1
        0x1AFFFFF7, // bne loop
        0xE2888001, // add r8, r8, #1
        0xE5976000, // ldr r6, [r7]        r7 -> unmapped: a data abort in the middle of a block
        0xE2888001, // add r8, r8, #1      (not reached)
        0xEAFFFFFE, // b .
    };

    private static final class Rig {
        final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        final ArmCpu cpu;
        final List<String> exceptions = new ArrayList<>();

        Rig(boolean translate, int[] program) {
            bus.map(BASE, new Ram("ram", 0x10000));
            for (int i = 0; i < program.length; i++) {
                bus.write(BASE + 4L * i, 4, program[i] & 0xFFFF_FFFFL, Masters.DEBUG);
            }
            cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
            if (translate) {
                cpu.setCompileThreshold(1);
            } else {
                cpu.setCompileBlocks(false);
            }
            cpu.setObserver(new CpuObserver() {
                @Override
                public void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
                    exceptions.add(kind + "@" + Integer.toHexString(fromPc) + " retired=" + cpu.instructionsRetired());
                }
            });
            cpu.reset((int) BASE);
            cpu.setReg(4, (int) BASE + 0x8000);
            cpu.setReg(7, 0x2000_0000);
        }

        String state() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                sb.append(String.format("r%d=%08x ", i, cpu.reg(i)));
            }
            sb.append(String.format("cpsr=%08x retired=%d mem=%08x", cpu.cpsr(), cpu.instructionsRetired(),
                    bus.read(BASE + 0x8000 + 4 * 99, 4, Masters.DEBUG)));
            return sb + " " + exceptions;
        }
    }

    @Test
    void translatedRunsMatchTheInterpreterUnderEveryBudget() {
        for (int budget : new int[] {1, 3, 7, 10, 1000}) {
            Rig interpreted = new Rig(false, PROGRAM);
            Rig translated = new Rig(true, PROGRAM);
            for (int calls = 0; calls < 2000; calls++) {
                interpreted.cpu.run(budget);
                translated.cpu.run(budget);
                if (interpreted.cpu.instructionsRetired() >= 809 && translated.cpu.instructionsRetired() >= 809) {
                    break;
                }
            }
            // Run both to the same instruction count, then compare everything.
            long target = Math.max(interpreted.cpu.instructionsRetired(), translated.cpu.instructionsRetired());
            while (interpreted.cpu.instructionsRetired() < target) {
                interpreted.cpu.run(1);
            }
            while (translated.cpu.instructionsRetired() < target) {
                translated.cpu.run(1);
            }
            assertThat(translated.state()).as("budget %d", budget).isEqualTo(interpreted.state());
            assertThat(translated.exceptions).as("budget %d", budget).anyMatch(e -> e.startsWith("data-abort@4000002c"));
            if (budget >= 10) {
                assertThat(translated.cpu.blocksCompiled()).as("budget %d", budget).isPositive();
            }
        }
    }

    @Test
    void aBlockNeverRunsPastItsBudget() {
        Rig r = new Rig(true, PROGRAM);
        r.cpu.run(2); // mov, mov
        for (int i = 0; i < 50; i++) {
            long before = r.cpu.instructionsRetired();
            int done = r.cpu.run(5);
            assertThat(done).isLessThanOrEqualTo(5);
            assertThat(r.cpu.instructionsRetired() - before).isEqualTo(done);
        }
    }

    @Test
    void selfModifyingCodeInsideATranslatedBlockRunsTheNewInstruction() {
        int[] program = {
            0xE3A00001,   // mov r0, #1
            0xE59F200C,   // ldr r2, [pc, #12]   (= mov r0, #2)
            0xE28F3000,   // add r3, pc, #0      (= patch)
            0xE5832000,   // str r2, [r3]
            0xE3A00007,   // patch: mov r0, #7
            0xEAFFFFFE,   // b .
            0xE3A00002,   // the literal
        };
        Rig r = new Rig(true, program);
        r.cpu.run(100);
        assertThat(r.cpu.reg(0)).isEqualTo(2);
    }

    @Test
    void anUndefinedInstructionInTheMiddleOfABlockReportsItsOwnAddress() {
        int[] program = {
            0xE3A00001,   // mov r0, #1
            0xE2800001,   // add r0, r0, #1
            0xE7C3139F,   // bfc r1, #7, #-3  (msb 3 < lsb 7): UNDEFINED, as in QEMU
            0xE2800001,   // add r0, r0, #1   (not reached)
            0xEAFFFFFE,   // b .
        };
        Rig interpreted = new Rig(false, program);
        Rig translated = new Rig(true, program);
        interpreted.cpu.run(10);
        translated.cpu.run(10);
        assertThat(translated.state()).isEqualTo(interpreted.state());
        assertThat(translated.exceptions).contains("undefined@40000008 retired=2");
        assertThat(translated.cpu.reg(14)).isEqualTo(0x4000_000C); // LR_und = address + 4
        assertThat(translated.cpu.blocksCompiled()).isPositive();
    }

    @Test
    void aTranslatedLoopStopsAtItsBackEdgeForAnInterrupt() {
        int[] program = {
            0xE2800001,   // loop: add r0, r0, #1
            0xE2811002,   // add r1, r1, #2
            0xEAFFFFFC,   // b loop
        };
        Rig r = new Rig(true, program);
        r.cpu.setCpsr(r.cpu.cpsr() & ~0x80); // unmask IRQ
        assertThat(r.cpu.run(3000)).isEqualTo(3000);
        assertThat(r.cpu.blocksCompiled()).isPositive();
        long before = r.cpu.instructionsRetired();
        r.cpu.setIrqLine(true);
        r.cpu.run(3000);
        String irq = r.exceptions.stream().filter(e -> e.startsWith("irq@")).findFirst().orElseThrow();
        long at = Long.parseLong(irq.substring(irq.indexOf("retired=") + 8));
        assertThat(at - before).isLessThanOrEqualTo(3); // taken no later than the loop's back edge
    }

    @Test
    void vfpAndNeonInstructionsStayInsideBlocksAndGiveTheInterpretersResults() {
        int[] program = {
            0xE3A00000,   // mov r0, #0
            0xE3A01040,   // mov r1, #64
            0xE2800003,   // loop: add r0, r0, #3
            0xEE000A10,   // vmov s0, r0
            0xEEB81BC0,   // vcvt.f64.s32 d1, s0
            0xEE322B01,   // vadd.f64 d2, d2, d1
            0xEEB42B41,   // vcmp.f64 d2, d1
            0xEEF1FA10,   // vmrs APSR_nzcv, fpscr
            0xC2833001,   // addgt r3, r3, #1
            0xED842B00,   // vstr d2, [r4]
            0xF424470F,   // vld1.8 {d4}, [r4]
            0xEC565B14,   // vmov r5, r6, d4
            0xE2511001,   // subs r1, r1, #1
            0x1AFFFFF3,   // bne loop
            0xEEF80A10,   // vmrs r0, fpexc
            0xEAFFFFFE,   // b .
        };
        Rig interpreted = new Rig(false, program);
        Rig translated = new Rig(true, program);
        interpreted.cpu.vfp().enableForUserMode();
        translated.cpu.vfp().enableForUserMode();
        interpreted.cpu.run(2000);
        translated.cpu.run(2000);
        assertThat(translated.state()).isEqualTo(interpreted.state());
        assertThat(translated.cpu.vfp().d).containsExactly(interpreted.cpu.vfp().d);
        assertThat(translated.cpu.vfp().fpscr).isEqualTo(interpreted.cpu.vfp().fpscr);
        assertThat(Double.longBitsToDouble(translated.cpu.vfp().d[2])).isEqualTo(3.0 * 64 * 65 / 2);
        assertThat(translated.cpu.reg(3)).isEqualTo(63); // d2 > d1 after the first pass
        assertThat(translated.cpu.blocksCompiled()).isPositive();

        // with FPEXC.EN clear, the first VMOV in the translated block is UNDEFINED at its own address
        Rig disabled = new Rig(true, program);
        disabled.cpu.run(100);
        assertThat(disabled.exceptions).filteredOn(e -> !e.startsWith("reset")).first().asString()
                .startsWith("undefined@4000000c retired=3");
    }
}
