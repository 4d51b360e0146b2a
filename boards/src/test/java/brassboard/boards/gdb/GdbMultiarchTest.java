package brassboard.boards.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Debian's gdb-multiarch, in batch mode, debugging ticker.elf (which has symbols) through the stub. */
class GdbMultiarchTest {
    @Test
    void breakContinueRegistersMemoryStepWatchThreadsMonitorDetach() throws Exception {
        Path gdb = GdbMultiarch.find();
        Path elf = TestImages.image("ticker.elf");
        try (Debugged d = new Debugged(TestImages.rig("ticker.elf").machine(), RunLimits.none().withMaxInsns(30_000_000))) {
            String out = GdbMultiarch.batch(gdb, d.server.port(), elf, List.of(
                    "break uart_puts",
                    "continue",
                    "info registers",
                    "bt",
                    "x/4wx 0x40010000",
                    "stepi",
                    "info registers pc",
                    "delete",
                    "watch *(char *) 0x40010461",
                    "continue",
                    "continue",
                    "continue",
                    "delete",
                    "info threads",
                    "info registers d0 fpscr",
                    "monitor help",
                    "monitor phys 0x40010458 16",
                    "detach"));
            assertThat(out).contains(
                    "Breakpoint 1 at 0x4001018c",
                    "Breakpoint 1, 0x4001018c in uart_puts ()",
                    "pc             0x4001018c          0x4001018c <uart_puts>",
                    "cpsr           0x600001d3",
                    "#1  0x400103a8 in main ()",
                    "0x40010000 <_start>:\t0xe1a04000\t0xe1a05001\t0xe1a06002\t0xe321f0d7",
                    "0x40010190 in uart_puts ()",
                    "pc             0x40010190          0x40010190 <uart_puts+4>",
                    "Hardware watchpoint 2: *(char *) 0x40010461",
                    "Old value = 48 '0'",
                    "New value = 49 '1'",
                    "Old value = 50 '2'",
                    "New value = 51 '3'",
                    "0x40010410 in main ()",
                    "* 1    Thread 1 (cpu0 svc) ",
                    "d0             0 ",
                    "fpscr          0x0",
                    "monitor phys ADDR [LENGTH]",
                    "0x40010458: 20 20 20 20 20 20 20 20 20 33 00 00 00 00 00 00",
                    "[Inferior 1 (Remote target) detached]");
            assertThat(out).doesNotContain("Remote failure", "Ignoring packet error", "warning: ");
            RunResult r = d.awaitEnd();
            assertThat(r.outcome()).isEqualTo(RunResult.Outcome.LIMIT);
            assertThat(d.machine.cpu().pcHooks()).isEmpty();
        }
    }

    @Test
    void thumbCodeBreaksAndStepsOneInstructionAtATime() throws Exception {
        Path gdb = GdbMultiarch.find();
        Path elf = TestImages.image("thumb.elf");
        try (Debugged d = new Debugged(TestImages.rig("thumb.elf").machine(), RunLimits.none().withMaxInsns(30_000_000))) {
            String out = GdbMultiarch.batch(gdb, d.server.port(), elf, List.of(
                    "break main", "continue", "info registers pc cpsr", "stepi", "stepi", "x/2i $pc", "continue"));
            assertThat(out).contains(
                    "Breakpoint 1, 0x40010358 in main ()",
                    "cpsr           0x600001f3", // T set
                    "0x4001035c in main ()", // two 32-bit Thumb-2 instructions
                    "=> 0x40010360 <main+20>:\tsub\tsp, #32",
                    "[Inferior 1 (Remote target) exited normally]");
            assertThat(d.awaitEnd().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        }
    }
}
