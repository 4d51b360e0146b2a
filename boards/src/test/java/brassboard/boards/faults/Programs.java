package brassboard.boards.faults;

import brassboard.boards.TestImages;
import brassboard.boards.TestImages.Rig;
import java.nio.file.Path;

/** Tiny hand-assembled programs (words as arm-none-eabi-as encodes them) on a virt machine. */
final class Programs {
    /** Where the programs load and start. */
    static final long BASE = 0x4010_0000L;
    /** The data word the load programs read: BASE + 0x20. */
    static final long DATA = BASE + 0x20;

    private Programs() {
    }

    /**
     * Loads the word at {@link #DATA} (0x12345678) into r4, then powers off:
     * {@code movw r1,#0x20; movt r1,#0x4010; ldr r4,[r1]; mov r0,#0x84000000; orr r0,r0,#8; hvc #0}.
     */
    static final int[] LOAD_WORD = {
        0xE3001020, 0xE3441010, 0xE5914000, 0xE3A00321, 0xE3800008, 0xE1400070, 0, 0, 0x12345678};

    /** Writes 'A', 'B', 'C' to the UART's data register, then powers off. */
    static final int[] PRINT_ABC = {
        0xE3001000,   // movw r1, #0
        0xE3401900,   // movt r1, #0x900
        0xE3A00041,   // mov r0, #'A'
        0xE5810000,   // str r0, [r1]
        0xE3A00042,   // mov r0, #'B'
        0xE5810000,   // str r0, [r1]
        0xE3A00043,   // mov r0, #'C'
        0xE5810000,   // str r0, [r1]
        0xE3A00321,   // mov r0, #0x84000000
        0xE3800008,   // orr r0, r0, #8
        0xE1400070};  // hvc #0

    static Rig rig(Path dir, long seed, int... words) throws Exception {
        return TestImages.rig(TestImages.program(dir, BASE, words).withSeed(seed), null);
    }
}
