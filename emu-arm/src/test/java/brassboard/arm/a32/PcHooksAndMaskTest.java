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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ArmCpu#setPcHooks} and {@link CpuObserver#onInterruptMaskChange}, with and without translation. */
class PcHooksAndMaskTest {
    private static final long BASE = 0x4000_0000L;

    /** 50 calls of a four-instruction function, then a self-looping countdown at 0x28. */
    private static final int[] CALLS = {
        0xE3A00000, // 00 mov r0, #0
        0xE3A01032, // 04 mov r1, #50
        0xEB000002, // 08 loop: bl func
        0xE2511001, // 0c subs r1, r1, #1
        0x1AFFFFFC, // 10 bne loop
        0xEAFFFFFE, // 14 b .
        0xE2800001, // 18 func: add r0, r0, #1
        0xE2822003, // 1c add r2, r2, #3
        0xE2833001, // 20 add r3, r3, #1
        0xE12FFF1E, // 24 bx lr
        0xE2544001, // 28 spin: subs r4, r4, #1
        0x1AFFFFFD, // 2c bne spin
        0xEAFFFFFE, // 30 b .
    };

    private static final class Rig {
        final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        final ArmCpu cpu;
        final Map<Integer, Integer> hits = new TreeMap<>();
        final List<String> masks = new ArrayList<>();

        Rig(boolean translate, long base, int[] program) {
            bus.map(base, new Ram("ram", 0x10000));
            for (int i = 0; i < program.length; i++) {
                bus.write(base + 4L * i, 4, program[i] & 0xFFFF_FFFFL, Masters.DEBUG);
            }
            cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
            if (translate) {
                cpu.setCompileThreshold(1);
            } else {
                cpu.setCompileBlocks(false);
            }
            cpu.setObserver(new CpuObserver() {
                @Override
                public void onPcHook(int pc) {
                    hits.merge(pc - (int) base, 1, Integer::sum);
                }

                @Override
                public void onInterruptMaskChange(boolean irqMasked, boolean fiqMasked, int pc) {
                    masks.add((irqMasked ? "I" : "-") + (fiqMasked ? "F" : "-") + "@" + Integer.toHexString(pc));
                }
            });
            cpu.reset((int) base);
        }

        void hook(int... offsets) {
            List<Integer> list = new ArrayList<>();
            for (int o : offsets) {
                list.add((int) BASE + o);
            }
            cpu.setPcHooks(list);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void hooksRunBeforeEveryExecutionOfTheirInstructionEvenInsideTranslatedCode(boolean translate) {
        Rig r = new Rig(translate, BASE, CALLS);
        r.hook(0x18, 0x1c, 0x0c);
        for (int i = 0; i < 100; i++) {
            r.cpu.run(7);
        }
        assertThat(r.cpu.reg(0)).isEqualTo(50);
        assertThat(r.hits).isEqualTo(Map.of(0x18, 50, 0x1c, 50, 0x0c, 50));
        if (translate) {
            assertThat(r.cpu.blocksCompiled()).isPositive();
        }
    }

    /** A debugger's single step: with every instruction hooked, each hook call follows exactly one instruction. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void hookingEveryInstructionRunsThemOneAtATimeEvenWhenTranslated(boolean translate) {
        Rig r = new Rig(translate, BASE, CALLS);
        r.cpu.run(40); // the loop's code translated first (with translation on)
        Rig reference = new Rig(false, BASE, CALLS);
        reference.cpu.run(40);
        assertThat(r.cpu.pc()).isEqualTo(reference.cpu.pc());
        r.hits.clear();
        r.cpu.setHookEveryInstruction(true);
        assertThat(r.cpu.hasPcHooks()).isTrue();
        long before = r.cpu.instructionsRetired();
        List<Integer> pcs = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            pcs.add(r.cpu.pc());
            expected.add(reference.cpu.pc());
            r.cpu.run(3); // three hook calls, one before each instruction, whatever the blocks
            reference.cpu.run(3);
        }
        assertThat(r.cpu.instructionsRetired() - before).isEqualTo(300);
        assertThat(pcs).isEqualTo(expected);
        assertThat(r.cpu.reg(0)).isEqualTo(reference.cpu.reg(0)).isBetween(40, 50);
        assertThat(r.hits.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
        if (translate) {
            assertThat(r.cpu.blocksCompiled()).isPositive();
        }
        r.cpu.setHookEveryInstruction(false);
        assertThat(r.cpu.hasPcHooks()).isFalse();
        r.hits.clear();
        r.cpu.run(1_000);
        assertThat(r.hits).isEmpty();
    }

    @Test
    void aHookAddedAfterTranslationSplitsTheBlocksThatRunOverIt() {
        Rig r = new Rig(true, BASE, CALLS);
        while (r.cpu.reg(0) < 20) {
            r.cpu.run(1);
        }
        assertThat(r.cpu.blocksCompiled()).isPositive();
        // now at some point inside the 20th call or just after it: count calls from the next one on
        while (r.cpu.pc() != (int) BASE + 0x0c) {
            r.cpu.run(1);
        }
        r.cpu.addPcHook((int) BASE + 0x20);
        r.cpu.run(10_000);
        assertThat(r.hits).isEqualTo(Map.of(0x20, 30));
        r.cpu.removePcHook((int) BASE + 0x20);
        assertThat(r.cpu.pcHooks()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aHookedSelfLoopCallsTheHookOnEveryPass(boolean translate) {
        Rig r = new Rig(translate, BASE, CALLS);
        r.cpu.setReg(4, 100);
        r.cpu.setReg(15, (int) BASE + 0x28);
        r.cpu.run(150); // the loop gets hot (and translated) before the hook exists
        r.cpu.setReg(4, 100);
        r.cpu.setReg(15, (int) BASE + 0x28);
        r.hook(0x28);
        r.cpu.run(10_000);
        assertThat(r.hits).isEqualTo(Map.of(0x28, 100));
        assertThat(r.cpu.pcHooks()).isEqualTo(Set.of((int) BASE + 0x28));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyChangeOfCpsrIOrFIsReportedWhereItHappened(boolean translate) {
        int[] program = {
            0xEA000006, // 00 b start
            0xEAFFFFFE, // 04 b .
            0xE1B0F00E, // 08 svc vector: movs pc, lr
            0xEAFFFFFE, // 0c
            0xEAFFFFFE, // 10
            0xEAFFFFFE, // 14
            0xEAFFFFFE, // 18
            0xEAFFFFFE, // 1c
            0xF1080080, // 20 start: cpsie i
            0xF10C00C0, // 24 cpsid if
            0xE321F0D3, // 28 msr cpsr_c, #0xd3   (no change)
            0xE321F013, // 2c msr cpsr_c, #0x13
            0xEF000001, // 30 svc #1
            0xEAFFFFFE, // 34 b .
        };
        Rig r = new Rig(translate, 0, program);
        r.cpu.run(20);
        assertThat(r.masks).containsExactly("-F@20", "IF@24", "--@2c", "I-@8", "--@8");
        r.cpu.setCpsr(r.cpu.cpsr() | 0x80);
        assertThat(r.masks).last().isEqualTo("I-@34");
    }
}
