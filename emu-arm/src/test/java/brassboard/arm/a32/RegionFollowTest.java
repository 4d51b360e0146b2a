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
import org.junit.jupiter.api.Test;

/**
 * A loop laid out in two pieces (the head branches forward to the rest of the body, which branches back:
 * how gcc lays out switch-heavy loops) becomes one translation that follows the branch and loops by
 * itself; a PC hook set later inside its second piece drops it, and the hook then sees every pass.
 */
class RegionFollowTest {
    private static final int CODE = 0x8000;
    private static final int PART2 = 0x8030;
    private static final int PASSES = 200;

    private final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());

    private ArmCpu cpu() {
        bus.map(0, new Ram("ram", 0x10000));
        int[] head = {
            0xE3A03000 | PASSES, // mov r3, #200
            0xE3A00000,          // mov r0, #0
            0xE2800001,          // loop: add r0, r0, #1
            0xE2533001,          // subs r3, r3, #1
            0x1A000006,          // bne part2        (0x8030)
            0xEA000009,          // b done           (0x8040)
        };
        int[] part2 = {
            0xE2811002,          // part2: add r1, r1, #2
            0xEAFFFFF3,          // b loop           (0x8008)
        };
        put(CODE, head);
        put(PART2, part2);
        put(0x8040, new int[] {0xEAFFFFFE}); // done: b .
        ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        cpu.setCompileThreshold(100);
        cpu.reset(CODE);
        return cpu;
    }

    private void put(int address, int[] words) {
        for (int i = 0; i < words.length; i++) {
            bus.write(address + 4L * i, 4, words[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
    }

    @Test
    void aLoopInTwoPiecesIsOneTranslation() {
        ArmCpu cpu = cpu();
        // on into the final b . (fewer steps of it than the threshold): a budget ending at it would leave
        // the last pass, and the way out of the loop, to the interpreter
        int budget = 2 + (PASSES - 1) * 5 + 4 + 20;
        assertThat(cpu.run(budget)).isEqualTo(budget);
        assertThat(cpu.reg(0)).isEqualTo(PASSES);
        assertThat(cpu.reg(1)).isEqualTo(2 * (PASSES - 1));
        assertThat(cpu.pc()).isEqualTo(0x8040);
        assertThat(cpu.instructionsRetired()).isEqualTo(budget);
        if (A32Translator.ENABLED && A32Translator.FOLLOW) {
            // the head's translation holds the second piece: it never gets one of its own
            assertThat(cpu.blocksCompiled()).isEqualTo(1);
        }
    }

    @Test
    void aHookInTheSecondPieceDropsTheTranslationAndSeesEveryPass() {
        ArmCpu cpu = cpu();
        int[] hits = new int[1];
        cpu.setObserver(new CpuObserver() {
            @Override
            public void onPcHook(int pc) {
                assertThat(pc).isEqualTo(PART2);
                hits[0]++;
            }
        });
        cpu.run(2 + 150 * 5); // 150 passes, most of them translated
        assertThat(cpu.reg(0)).isEqualTo(150);
        cpu.addPcHook(PART2);
        cpu.run((PASSES - 1 - 150) * 5 + 4);
        assertThat(hits[0]).isEqualTo(PASSES - 1 - 150);
        assertThat(cpu.reg(0)).isEqualTo(PASSES);
        assertThat(cpu.reg(1)).isEqualTo(2 * (PASSES - 1));
        assertThat(cpu.pc()).isEqualTo(0x8040);
    }
}
