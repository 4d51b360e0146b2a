package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Region;
import brassboard.bus.api.Tracer;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * A load in the middle of a translated block that cannot write the PC skips the next-PC bookkeeping;
 * a device callback that redirects the core or halts it during that load must still stop the block
 * right after it, with the PC, the registers and the instruction count the interpreter gives.
 */
class BlockLeaveTest {
    private static final int DEVICE = 0x10_0000;
    /** loop: add r2, r2, #1 ; ldr r3, [r1] ; add r4, r4, #1 ; b loop */
    private static final int[] LOOP = {0xE2822001, 0xE5913000, 0xE2844001, 0xEAFFFFFB};
    /** at 0x9000: mov r5, #7 ; b . */
    private static final int[] TARGET = {0xE3A05007, 0xEAFFFFFE};

    private record Outcome(int r2, int r4, int r5, int pc, long retired, boolean halted) {
    }

    /** Runs LOOP with the device's 40th read doing {@code action}, translated or not. */
    private static Outcome run(boolean translate, String action) {
        AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        bus.map(0, new Ram("ram", 0x10_0000));
        ArmCpu[] holder = new ArmCpu[1];
        IntConsumer onRead = n -> {
            if (n == 40) {
                if (action.equals("redirect")) {
                    holder[0].setReg(15, 0x9000);
                } else if (action.equals("setreg")) {
                    holder[0].setReg(4, 1000); // as a debugger stopped in the access would
                } else {
                    holder[0].halt("device stop");
                }
            }
        };
        bus.map(DEVICE, new Region("dev", 0x1000) {
            private int reads;

            @Override
            public long read(long offset, int size) {
                onRead.accept(++reads);
                return 0;
            }

            @Override
            public boolean write(long offset, int size, long value) {
                return true;
            }

            @Override
            public String kind() {
                return "device";
            }
        });
        for (int i = 0; i < LOOP.length; i++) {
            bus.write(0x8000 + 4L * i, 4, LOOP[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
        for (int i = 0; i < TARGET.length; i++) {
            bus.write(0x9000 + 4L * i, 4, TARGET[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
        ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        holder[0] = cpu;
        cpu.reset(0x8000);
        cpu.setCompileBlocks(translate);
        cpu.setCompileThreshold(1);
        cpu.setReg(1, DEVICE);
        for (int i = 0; i < 50 && !cpu.isHalted(); i++) {
            cpu.run(7);
        }
        if (translate) {
            assertThat(cpu.blocksCompiled()).isPositive();
        }
        return new Outcome(cpu.reg(2), cpu.reg(4), cpu.reg(5), cpu.pc(), cpu.instructionsRetired(), cpu.isHalted());
    }

    @Test
    void aRedirectDuringALoadLeavesTheBlockAtThatLoad() {
        Outcome translated = run(true, "redirect");
        assertThat(translated).isEqualTo(run(false, "redirect"));
        assertThat(translated.r2()).isEqualTo(40);
        assertThat(translated.r4()).isEqualTo(39);
        assertThat(translated.r5()).isEqualTo(7);
    }

    /**
     * A translation holds r4 in a JVM local; a register written from outside during its load
     * ({@code ArmCpu.setReg}) must not be overwritten with the stale local afterwards.
     */
    @Test
    void aRegisterWrittenDuringALoadIsNotLostToTheTranslationsLocals() {
        Outcome translated = run(true, "setreg");
        assertThat(translated).isEqualTo(run(false, "setreg"));
        assertThat(translated.r4()).isGreaterThan(1000);
    }

    @Test
    void aHaltDuringALoadStopsAfterThatLoad() {
        Outcome translated = run(true, "halt");
        assertThat(translated).isEqualTo(run(false, "halt"));
        assertThat(translated.halted()).isTrue();
        assertThat(translated.r2()).isEqualTo(40);
        assertThat(translated.r4()).isEqualTo(39);
        assertThat(translated.pc()).isEqualTo(0x8008);
    }
}
