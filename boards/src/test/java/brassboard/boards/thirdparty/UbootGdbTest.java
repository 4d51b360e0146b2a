package brassboard.boards.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.gdb.GdbMultiarch;
import brassboard.boards.gdb.GdbServer;
import brassboard.boards.gdb.GdbStub;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.CaptureSink;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Debian's gdb-multiarch debugging Debian's U-Boot (no symbols: addresses) on a two-core virt
 * board: break, continue, info registers, x/4wx, stepi, watch, thread 2, kill.
 */
@Tag("thirdparty")
class UbootGdbTest {
    private static Machine uboot(CaptureSink out) throws Exception {
        Console console = new Console(CharBackend.of(out, CharSource.none()));
        return Machine.create(MachineConfig.of(UbootConsole.uboot()).withLoadAddress(OptionalLong.of(0)).withCpus(2), console);
    }

    @Test
    void gdbMultiarchBreaksStepsWatchesAndSwitchesThreadsInUboot() throws Exception {
        Path gdb = GdbMultiarch.find();
        // Where core 0 is after three million instructions (after relocation): a place the same run reaches again.
        Machine probe = uboot(new CaptureSink());
        probe.run(RunLimits.none().withMaxInsns(3_000_000));
        String at = String.format("0x%x", probe.cpu().pc());

        CaptureSink out = new CaptureSink();
        Machine m = uboot(out);
        List<String> log = new CopyOnWriteArrayList<>();
        try (GdbServer server = new GdbServer(new GdbServer.Endpoint("127.0.0.1", 0), log::add)) {
            GdbStub stub = GdbStub.attach(m, server, log::add);
            RunResult[] result = new RunResult[1];
            Thread sim = new Thread(() -> {
                try {
                    stub.waitForClient();
                    result[0] = m.run(RunLimits.none().withMaxTimeNs(10_000_000_000L));
                    stub.machineEnded(result[0]);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            sim.start();
            String text = GdbMultiarch.batch(gdb, server.port(), null, List.of(
                    "info threads",
                    "break *" + at,
                    "continue",
                    "info registers",
                    "x/4wx $sp",
                    "stepi",
                    "info registers pc",
                    "delete",
                    "set $slot = $sp - 8",
                    "watch *(int *) $slot",
                    "continue",
                    "delete",
                    "thread 2",
                    "info registers pc cpsr",
                    "thread 1",
                    "kill"));
            sim.join(60_000);
            assertThat(text).contains(
                    "Thread 1 (cpu0 svc)",
                    "Thread 2 (cpu1 powered off)",
                    "Breakpoint 1 at " + at,
                    "Breakpoint 1, " + at + " in ?? ()",
                    "pc             " + at,
                    "Hardware watchpoint 2: *(int *) $slot",
                    "Old value = ",
                    "New value = ",
                    "[Switching to thread 2 (Thread 2)]",
                    "pc             0x0                 0x0",
                    "cpsr           0x1d3",
                    "[Switching to thread 1 (Thread 1)]",
                    "[Inferior 1 (Remote target) killed]");
            assertThat(text).containsPattern("0x[0-9a-f]{8}:\\t0x[0-9a-f]{8}\\t0x[0-9a-f]{8}\\t0x[0-9a-f]{8}\\t0x[0-9a-f]{8}");
            assertThat(text).doesNotContain("Remote failure", "Ignoring packet error");
            assertThat(result[0]).isNotNull();
            assertThat(result[0].message()).startsWith("killed by GDB");
            assertThat(out.text()).contains("U-Boot 2023.01");
        }
    }
}
