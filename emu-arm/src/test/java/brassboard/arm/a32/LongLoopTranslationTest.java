package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A loop a little longer than the translation length limit is one translation that loops by itself (the
 * translation goes on to the back edge, up to {@link A32Translator#LOOP_LENGTH}); one longer than that is
 * not closed, and still runs right. Counts and results are exact either way.
 */
class LongLoopTranslationTest {
    private static final int CODE = 0x8000;
    private static final int PASSES = 200;

    @ParameterizedTest
    @ValueSource(ints = {30, 40, 62, 70})
    void aLoopOfNInstructions(int body) {
        AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        bus.map(0, new Ram("ram", 0x10000));
        int[] code = new int[body + 4];
        code[0] = 0xE3000000 | PASSES;                 // movw r0, #PASSES
        code[1] = 0xE3A01000;                          // mov r1, #0
        for (int k = 0; k < body - 2; k++) {
            code[2 + k] = 0xE2811001;                  // add r1, r1, #1
        }
        code[body] = 0xE2500001;                       // subs r0, r0, #1
        int back = 2 - (body + 1 + 2);
        code[body + 1] = 0x1A000000 | (back & 0xFFFFFF); // bne to the first add
        code[body + 2] = 0xEAFFFFFE;                   // b .
        for (int i = 0; i < code.length; i++) {
            bus.write(CODE + 4L * i, 4, code[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
        ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        cpu.setCompileThreshold(20);
        cpu.reset(CODE);
        int steps = 2 + PASSES * body;
        // on into the final b . (fewer steps of it than the threshold): a budget ending with the loop would
        // leave its last pass, and the way out of it, to the interpreter
        int budget = steps + 10;
        assertThat(cpu.run(budget)).isEqualTo(budget);
        assertThat(cpu.reg(1)).isEqualTo(PASSES * (body - 2));
        assertThat(cpu.reg(0)).isZero();
        assertThat(cpu.pc()).isEqualTo(CODE + 4 * (body + 2));
        assertThat(cpu.instructionsRetired()).isEqualTo(budget);
        if (A32Translator.ENABLED && A32Translator.MAX_LENGTH == BlockCompiler.MAX_LENGTH) {
            if (body <= A32Translator.LOOP_LENGTH) {
                // one translation, at the loop's head, holding the whole body
                assertThat(cpu.blocksCompiled()).as("translations").isEqualTo(1);
            } else {
                assertThat(cpu.blocksCompiled()).as("translations").isGreaterThan(1);
            }
        }
    }
}
