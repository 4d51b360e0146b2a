package brassboard.arm.t32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.api.CpuObserver;
import brassboard.arm.core.Modes;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hot T32 code translated to bytecode runs exactly as the interpreter runs it: the same registers,
 * memory, instruction counts and PCs after every run call, with IT blocks, loads and stores, a data
 * abort inside a block, a store into the block's own page, and PC hooks.
 */
class ThumbTranslationTest {
    private static final int CODE = 0x8000;
    private static final int DATA = 0x9000;

    /** A machine with {@code halfwords} at CODE, reset there in Thumb state. */
    private static final class Machine {
        final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        final ArmCpu cpu;
        final List<String> events = new ArrayList<>();

        Machine(boolean translate, int[] halfwords, int ramSize) {
            bus.map(0, new Ram("ram", ramSize));
            for (int i = 0; i < halfwords.length; i++) {
                bus.write(CODE + 2L * i, 2, halfwords[i], Masters.DEBUG);
            }
            bus.write(0x10, 4, 0xEAFFFFFEL, Masters.DEBUG); // data abort vector: b .
            cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
            cpu.setCompileBlocks(translate);
            cpu.setCompileThreshold(2);
            cpu.reset(CODE | 1);
            cpu.setObserver(new CpuObserver() {
                @Override
                public void onPcHook(int pc) {
                    events.add(String.format("hook %x at %d", pc, cpu.instructionsRetired()));
                }

                @Override
                public void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
                    events.add(kind + " from " + Integer.toHexString(fromPc));
                }
            });
        }

        String state() {
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < 16; r++) {
                sb.append(Integer.toHexString(cpu.reg(r))).append(' ');
            }
            sb.append(Integer.toHexString(cpu.cpsr())).append(" pc ").append(Integer.toHexString(cpu.pc()))
                    .append(" retired ").append(cpu.instructionsRetired());
            for (int a = DATA; a < DATA + 16; a += 4) {
                sb.append(' ').append(Long.toHexString(bus.read(a, 4, Masters.DEBUG)));
            }
            return sb.toString();
        }
    }

    /** Runs both engines in the same chunks and compares them after every chunk; returns the translating one. */
    private static Machine runBoth(int[] code, int ramSize, int chunk, int chunks, java.util.function.Consumer<Machine> setUp) {
        Machine interpreted = new Machine(false, code, ramSize);
        Machine translated = new Machine(true, code, ramSize);
        setUp.accept(interpreted);
        setUp.accept(translated);
        for (int k = 0; k < chunks; k++) {
            assertThat(translated.cpu.run(chunk)).as("chunk %d", k).isEqualTo(interpreted.cpu.run(chunk));
            assertThat(translated.state()).as("chunk %d", k).isEqualTo(interpreted.state());
        }
        assertThat(translated.events).isEqualTo(interpreted.events);
        return translated;
    }

    private static final int[] SUM_LOOP = {
        0x2000, 0x2164,                                 // movs r0, #0 ; movs r1, #100
        0x6822, 0x1880, 0x6060, 0x3201, 0x6022, 0x3901, // 1: ldr r2, [r4] ; adds r0, r0, r2 ; str r0, [r4, #4] ; adds r2, #1 ; str r2, [r4] ; subs r1, #1
        0xD1F8,                                         // bne 1b
        0x2805, 0xBFCC, 0x2301, 0x2302,                 // cmp r0, #5 ; ite gt ; movgt r3, #1 ; movle r3, #2
        0xE7FE,                                         // b .
    };

    @Test
    void aHotLoopRunsTheSameTranslated() {
        for (int chunk : new int[] {1, 7, 32, 1000}) {
            Machine m = runBoth(SUM_LOOP, 0x10_0000, chunk, 1200 / chunk + 2, x -> x.cpu.setReg(4, DATA));
            assertThat(m.cpu.blocksCompiled()).as("chunk %d", chunk).isPositive();
            assertThat(m.cpu.reg(3)).isEqualTo(1);
            assertThat(m.cpu.reg(0)).isEqualTo(100 * 99 / 2);
        }
    }

    @Test
    void aDataAbortInsideABlockIsPrecise() {
        // 1: ldr r2, [r4] ; add.w r4, r4, #0x10000 ; strh r5, [r6] ; adds r0, #1 ; b 1b  -- r4 walks off the RAM
        int[] code = {0x6822, 0xF504, 0x3480, 0x8035, 0x3001, 0xE7F9};
        Machine m = runBoth(code, 0x10_0000, 13, 40, x -> {
            x.cpu.setReg(4, DATA);
            x.cpu.setReg(6, DATA + 8);
        });
        assertThat(m.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(m.cpu.reg(14)).isEqualTo(CODE + 8);
        assertThat(m.cpu.blocksCompiled()).isPositive();
    }

    @Test
    void aStoreIntoTheBlocksOwnPageEndsItAndTheNewCodeRuns() {
        // the strh rewrites "adds r0, #1" (CODE + 8) into "adds r0, #2" on the first pass
        int[] code = {0x6822, 0xF504, 0x3480, 0x8035, 0x3001, 0xE7F9};
        Machine m = runBoth(code, 0x100_0000, 5, 20, x -> {
            x.cpu.setReg(4, DATA);
            x.cpu.setReg(5, 0x3002);
            x.cpu.setReg(6, CODE + 8);
        });
        assertThat(m.cpu.reg(0)).isEqualTo(2 * 20);
    }

    @Test
    void pcHooksInsideHotThumbCodeFireEveryTime() {
        Machine m = runBoth(SUM_LOOP, 0x10_0000, 50, 30, x -> {
            x.cpu.setReg(4, DATA);
            x.cpu.addPcHook(CODE + 8); // str r0, [r4, #4], inside the loop
        });
        assertThat(m.events.stream().filter(e -> e.startsWith("hook")).count()).isEqualTo(100);
        assertThat(m.cpu.blocksCompiled()).isPositive();
    }
}
