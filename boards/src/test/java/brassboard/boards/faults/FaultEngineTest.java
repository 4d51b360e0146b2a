package brassboard.boards.faults;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.TestImages.Rig;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.bus.api.TextTraceSink;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule engine on a running machine: what each bus action does to the firmware, and determinism. */
class FaultEngineTest {
    @TempDir
    Path dir;

    private static String traced(Rig r, RunLimits limits) {
        StringWriter trace = new StringWriter();
        r.machine().tracer().addSink(new TextTraceSink(trace));
        r.machine().run(limits);
        r.machine().tracer().close();
        return trace.toString();
    }

    @Test
    void aBusReadFlipIsWhatTheCpuLoads() throws Exception {
        Rig r = Programs.rig(dir, 0, Programs.LOAD_WORD);
        FaultSession faults = FaultPlan.parse("""
                rules:
                  - point: bus.read
                    match: { address: 0x40100020, master: cpu0, size: 4 }
                    action: { type: flip, mask: 0x80000001 }
                """, "plan.yaml").applyTo(r.machine());
        String trace = traced(r, RunLimits.none().withMaxInsns(100));
        assertThat(r.machine().result().orElseThrow().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(r.machine().cpu().reg(4)).isEqualTo(0x92345679);
        assertThat(faults.injected()).isEqualTo(1);
        Injection i = faults.injections().get(0);
        assertThat(i.rule()).isEqualTo(1);
        assertThat(i.oldValue()).isEqualTo(0x12345678L);
        assertThat(i.newValue()).isEqualTo(0x92345679L);
        assertThat(trace).contains("fault.inject").contains("bus.read rule 1 flip mask=0x80000001: cpu0 read 4 bytes at 0x40100020: 0x12345678 -> 0x92345679");
        assertThat(faults.report())
                .contains("1 fault injected by 1 rule")
                .contains("rule 1 (line 2): bus.read address=0x40100020 size=4 master=cpu0: flip mask=0x80000001, once: 1 injected")
                .contains("bus.read  cpu0 read 4 bytes at 0x40100020: 0x12345678 -> 0x92345679");
    }

    @Test
    void withoutAPlanTheWordIsIntact() throws Exception {
        Rig r = Programs.rig(dir, 0, Programs.LOAD_WORD);
        r.machine().run(RunLimits.none().withMaxInsns(100));
        assertThat(r.machine().cpu().reg(4)).isEqualTo(0x12345678);
    }

    @Test
    void setClearAndReplaceWorkOnTheAccessWidth() throws Exception {
        int[][] cases = {{0, 0x123456FF}, {1, 0x12345600}, {2, 0xCAFEF00D}};
        Action[] actions = {Action.set(0xFF), Action.clear(0xFF), Action.replace(0x1_CAFE_F00DL)};
        for (int k = 0; k < actions.length; k++) {
            Path sub = dir.resolve("c" + k);
            java.nio.file.Files.createDirectories(sub);
            Rig r = Programs.rig(sub, 0, Programs.LOAD_WORD);
            FaultPlan.builder().rule(Rule.at("bus.read").address(Programs.DATA).action(actions[k])).build().applyTo(r.machine());
            r.machine().run(RunLimits.none().withMaxInsns(100));
            assertThat(r.machine().cpu().reg(4)).as("%s", actions[k]).isEqualTo(cases[k][1]);
        }
    }

    @Test
    void aBusErrorBecomesADataAbort() throws Exception {
        Rig r = Programs.rig(dir, 0, Programs.LOAD_WORD);
        FaultPlan.builder().rule(Rule.at("bus.read").address(Programs.DATA).action(Action.error())).build().applyTo(r.machine());
        String trace = traced(r, RunLimits.none().withMaxInsns(50));
        assertThat(trace).contains("fault.inject").contains("0x12345678 -> bus error");
        assertThat(trace).contains("cpu.exception").contains("data-abort at pc 0x40100008");
        assertThat(r.machine().cpu().reg(4)).isNotEqualTo(0x12345678);
    }

    @Test
    void aDroppedUartWriteNeverReachesTheConsole() throws Exception {
        Rig r = Programs.rig(dir, 0, Programs.PRINT_ABC);
        FaultSession faults = FaultPlan.parse("""
                rules:
                  - point: bus.write
                    match: { address: 0x09000000-0x09000fff }
                    when: { nth: 2 }
                    action: drop
                """, "plan.yaml").applyTo(r.machine());
        r.machine().run(RunLimits.none().withMaxInsns(100));
        assertThat(r.text()).isEqualTo("AC");
        assertThat(faults.injections()).singleElement().satisfies(i -> assertThat(i.effect()).isEqualTo("0x00000042 -> dropped"));
    }

    @Test
    void everyAndTimesCountMatchingOccurrences() throws Exception {
        Rig r = Programs.rig(dir, 0, Programs.PRINT_ABC);
        FaultPlan.builder()
                .rule(Rule.at("bus.write").address(0x0900_0000L).every(1).action(Action.flip(0x20)).times(2))
                .build().applyTo(r.machine());
        r.machine().run(RunLimits.none().withMaxInsns(100));
        assertThat(r.text()).isEqualTo("abC");
    }

    @Test
    void aTimeWindowLimitsTheRule() throws Exception {
        // At 1 GHz each instruction is 1 ns: the stores of 'A', 'B', 'C' are instructions 4, 6 and 8.
        Rig r = Programs.rig(dir, 0, Programs.PRINT_ABC);
        FaultPlan.parse("""
                rules:
                  - point: bus.write
                    match: { address: 0x09000000, size: 4 }
                    when: { after: 4ns, before: 6ns }
                    action: { type: replace, value: 0x2a }
                    times: sticky
                """, "plan.yaml").applyTo(r.machine());
        r.machine().run(RunLimits.none().withMaxInsns(100));
        assertThat(r.text()).isEqualTo("A*C");
    }

    @Test
    void aDelayAddsVirtualTime() throws Exception {
        // Stop right after the load (the third instruction): the run loop adds fault stalls to the
        // clock at the end of each CPU quantum.
        RunLimits threeInsns = RunLimits.none().withMaxInsns(3);
        Rig plain = Programs.rig(dir, 0, Programs.LOAD_WORD);
        RunResult before = plain.machine().run(threeInsns);
        Path sub = dir.resolve("delayed");
        java.nio.file.Files.createDirectories(sub);
        Rig delayed = Programs.rig(sub, 0, Programs.LOAD_WORD);
        FaultSession faults = FaultPlan.parse("""
                rules:
                  - point: bus.read
                    match: { address: 0x40100020 }
                    action: { type: delay, ns: 2ms }
                """, "plan.yaml").applyTo(delayed.machine());
        RunResult after = delayed.machine().run(threeInsns);
        assertThat(after.virtualTimeNs() - before.virtualTimeNs()).isEqualTo(2_000_000L);
        assertThat(delayed.machine().cpu().reg(4)).isEqualTo(0x12345678);
        assertThat(faults.injections()).singleElement().satisfies(i -> assertThat(i.effect()).isEqualTo("0x12345678 +2000000 ns"));
    }

    private String helloWithNoise(long seed) throws Exception {
        Rig r = TestImages.rig(MachineConfig.of(TestImages.image("hello.elf")).withSeed(seed), null);
        FaultPlan.parse("""
                rules:
                  - point: bus.write
                    match: { address: 0x09000000, master: cpu* }
                    when: { probability: 0.3 }
                    action: { type: flip, mask: 0x1 }
                    times: sticky
                """, "plan.yaml").applyTo(r.machine());
        return traced(r, RunLimits.none().withMaxInsns(1_000_000)) + r.text();
    }

    @Test
    void theSameSeedGivesTheSameTraceAndAnotherSeedAnother() throws Exception {
        String a = helloWithNoise(1);
        String b = helloWithNoise(1);
        String c = helloWithNoise(2);
        assertThat(a).contains("fault.inject").isEqualTo(b);
        assertThat(c).contains("fault.inject").isNotEqualTo(a);
    }

    @Test
    void theBuilderAndYamlMakeTheSamePlan() throws Exception {
        FaultPlan yaml = FaultPlan.parse("""
                rules:
                  - point: bus.read
                    match: { address: 0x09000000-0x09000fff, master: cpu0 }
                    when: { probability: 0.01 }
                    action: { type: flip, mask: 0x1 }
                    times: sticky
                  - point: bus.write
                    match: { size: 1, data: { value: 0x41, mask: 0xff } }
                    when: { after: 2ms, before: 1s, every: 3 }
                    action: { type: delay, ns: 10us }
                    times: 5
                  - point: bus.*
                    when: { nth: 7 }
                    action: error
                """, "plan.yaml");
        FaultPlan java = FaultPlan.builder()
                .rule(Rule.at("bus.read").address(0x0900_0000L, 0x0900_0fffL).master("cpu0").probability(0.01)
                        .action(Action.flip(0x1)).sticky())
                .rule(Rule.at("bus.write").size(1).data(0x41, 0xff).after(2_000_000).before(1_000_000_000).every(3)
                        .action(Action.delay(10_000)).times(5))
                .rule(Rule.at("bus.*").nth(7).action(Action.error()))
                .build();
        assertThat(java).isEqualTo(yaml);
        assertThat(java.toString()).isEqualTo(yaml.toString());
        assertThat(yaml.rules().get(1).line()).isEqualTo(7);
    }
}
