package brassboard.boards.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.TestImages;
import brassboard.boards.trace.Observation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each outcome from a real run of a sample image, and the checks on the golden run. */
class ClassificationTest {
    @TempDir
    Path dir;

    private Map<String, RunRecord> run(String yaml) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml);
        CampaignRunner.Result r = new CampaignRunner(Campaign.load(f), dir.resolve("out"), 2, null).run();
        assertThat(r.cancelled()).isFalse();
        return r.records().stream().collect(Collectors.toMap(RunRecord::plan, Function.identity()));
    }

    private static String image(String name) {
        return TestImages.image(name).toAbsolutePath().toString();
    }

    @Test
    void helloGivesMaskedSdcCrashAndHang() throws Exception {
        Map<String, RunRecord> r = run("""
                image: %s
                limits: { max-time: 1ms }
                crash: { output: 'Crass' }
                plans:
                  - name: never-fires          # a write to an address nothing writes
                    rules: [ { point: bus.write, match: { address: 0x09100000 }, action: drop } ]
                  - name: uart-bit             # 'B' -> 'C' in the banner's first byte
                    rules: [ { point: bus.write, match: { address: 0x09000000 }, action: { type: flip, mask: 0x1 } } ]
                  - name: uart-bit-2           # 'r' -> 's' in its second byte
                    rules: [ { point: bus.write, match: { address: 0x09000000 }, when: { nth: 2 }, action: { type: flip, mask: 0x1 } } ]
                  - name: tx-full-forever      # UARTFR always says TXFF: the firmware waits forever
                    rules: [ { point: bus.read, match: { address: 0x09000018 }, action: { type: replace, value: 0x20 }, times: sticky } ]
                """.formatted(image("hello.elf")));
        RunRecord masked = r.get("never-fires");
        assertThat(masked.outcome()).isEqualTo(Outcome.MASKED);
        assertThat(masked.faults()).isZero();
        assertThat(masked.divergence()).isEmpty();
        assertThat(masked.end()).isEqualTo("power_off");

        RunRecord crash = r.get("uart-bit");
        assertThat(crash.outcome()).isEqualTo(Outcome.CRASH);
        assertThat(crash.reason()).isEqualTo("panic pattern in the output: 'Crass'");

        RunRecord sdc = r.get("uart-bit-2");
        assertThat(sdc.outcome()).isEqualTo(Outcome.SDC);
        assertThat(sdc.faults()).isEqualTo(1);
        assertThat(sdc.firstFaults()).hasSize(1);
        assertThat(sdc.firstFaults().get(0)).contains("bus.write cpu0 write").contains("0x00000072 -> 0x00000073");
        assertThat(sdc.divergence()).hasValue(new Divergence(1, 1, 2, "Brassboard hello: ARMv7-A on the virt board",
                "Bsassboard hello: ARMv7-A on the virt board"));

        RunRecord hang = r.get("tx-full-forever");
        assertThat(hang.outcome()).isEqualTo(Outcome.HANG);
        assertThat(hang.end()).isEqualTo("limit");
        assertThat(hang.exit()).isEqualTo(4);
        assertThat(hang.virtualTimeNs()).isEqualTo(1_000_000L);
        assertThat(hang.divergence().get().offset()).isZero();
    }

    @Test
    void echoReportsAFaultByItsExitStatus() throws Exception {
        Map<String, RunRecord> r = run("""
                image: %s
                input: "hello\\nexit\\n"
                limits: { max-time: 10ms }
                detected: { exit: [7] }
                plans:
                  - name: ctrl-d               # the first byte read from UARTDR becomes 0x04 (Ctrl-D): exit 7
                    rules: [ { point: bus.read, match: { address: 0x09000000 }, action: { type: replace, value: 0x04 } } ]
                  - name: exit-1               # a flipped bit in 'exit' makes it another line; the input then ends: a hang
                    rules: [ { point: bus.read, match: { address: 0x09000000, data: { value: 0x65 } }, when: { nth: 2 }, action: { type: flip, mask: 0x1 } } ]
                """.formatted(image("echo.elf")));
        assertThat(r.get("ctrl-d").outcome()).isEqualTo(Outcome.DETECTED);
        assertThat(r.get("ctrl-d").reason()).isEqualTo("exit status 7");
        assertThat(r.get("ctrl-d").exit()).isEqualTo(7);
        assertThat(r.get("exit-1").outcome()).isEqualTo(Outcome.HANG);
    }

    @Test
    void anAbortLoopIsACrash() throws Exception {
        var symbols = Observation.imageSymbols(TestImages.image("abort.elf"));
        long abtStack = symbols.lookup("__stack_svc_top").orElseThrow().address(); // the abort stack lies above the SVC stack
        long abtTop = symbols.lookup("__stack_abt_top").orElseThrow().address();
        long vectors = symbols.lookup("exception_vectors").orElseThrow().address();
        Map<String, RunRecord> r = run("""
                image: %s
                limits: { max-time: 10ms }
                crash: { exception-loop: 16 }
                plans:
                  - name: abort-stack-dead     # the data-abort handler's first push aborts again, and again
                    rules: [ { point: bus.write, match: { address: 0x%x-0x%x }, action: error, times: sticky } ]
                  - name: vectors-unreadable   # the vector cannot be fetched: the emulator stops the core
                    rules: [ { point: bus.read, match: { address: 0x%x-0x%x }, action: error, times: sticky } ]
                  - name: load-ok              # the load that should abort reads 0 instead: the firmware says so and exits 1
                    rules: [ { point: bus.read, match: { address: 0x09100000 }, action: { type: replace, value: 0 } } ]
                """.formatted(image("abort.elf"), abtStack, abtTop - 1, vectors, vectors + 0x1f));
        RunRecord loop = r.get("abort-stack-dead");
        assertThat(loop.outcome()).isEqualTo(Outcome.CRASH);
        assertThat(loop.reason()).startsWith("exception loop on cpu0: 16 data-abort exceptions in a row from 0x")
                .endsWith(String.format("(vector 0x%08x)", vectors + 0x10)); // from the handler's push, to the data-abort vector
        assertThat(loop.end()).isEqualTo("unsupported");
        RunRecord stopped = r.get("vectors-unreadable");
        assertThat(stopped.outcome()).isEqualTo(Outcome.CRASH);
        assertThat(stopped.reason()).startsWith("a core stopped: CPU stopped: Bus error fetching the exception vector");
        RunRecord ok = r.get("load-ok");
        assertThat(ok.outcome()).isEqualTo(Outcome.SDC);
        assertThat(ok.reason()).isEqualTo("output differs from the golden run");
        assertThat(ok.exit()).isEqualTo(1);
    }

    @Test
    void theGoldenRunMustEndNormallyAndNotMatchThePatterns() throws Exception {
        String plan = "plans:\n  - name: p\n    rules: [ { point: bus.write, match: { address: 0x09100000 }, action: drop } ]\n";
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "image: %s\nlimits: { max-time: 1ms }\n%s".formatted(image("ticker.elf"), plan));
        assertThatThrownBy(() -> new CampaignRunner(Campaign.load(f), dir.resolve("o1"), 1, null).run())
                .isInstanceOf(CampaignException.class)
                .hasMessage(f + ": the golden run (no faults) did not end normally (stopped: --max-time reached at 1.000000 ms virtual, "
                        + "1000000 instructions); a campaign needs a golden run that powers off or exits: check cpus, limits and watchdog");
        Files.writeString(f, "image: %s\ndetected: { output: 'MIDR' }\n%s".formatted(image("hello.elf"), plan));
        assertThatThrownBy(() -> new CampaignRunner(Campaign.load(f), dir.resolve("o2"), 1, null).run())
                .hasMessage(f + ": the golden run (no faults) matches detected.output ('MIDR'), so every run would count as detected; narrow the pattern");
        Files.writeString(f, "image: %s\ndetected: { exit: [0] }\n%s".formatted(image("hello.elf"), plan));
        assertThatThrownBy(() -> new CampaignRunner(Campaign.load(f), dir.resolve("o3"), 1, null).run())
                .hasMessageContaining("exits with status 0, which detected.exit lists");
        Files.writeString(f, "image: %s\nplans:\n  - name: p\n    rules: [ { point: irq.uart7, action: drop } ]\n".formatted(image("hello.elf")));
        assertThatThrownBy(() -> new CampaignRunner(Campaign.load(f), dir.resolve("o4"), 1, null).run())
                .hasMessageStartingWith(f + ": plan 'p': ").hasMessageContaining("rule 1 (line 4): point: 'irq.uart7' matches no fault point");
    }
}
