package brassboard.boards.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.TestImages.Rig;
import brassboard.boards.api.RunLimits;
import brassboard.bus.api.TextTraceSink;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The points beyond the bus on a small program: ram, cpuN.reg, bus.read's kind filter, and their checks. */
class FaultPointsTest {
    @TempDir
    Path dir;
    private int runs;

    private Rig rig(long seed) throws Exception {
        Path sub = dir.resolve("r" + runs++);
        Files.createDirectories(sub);
        return Programs.rig(sub, seed, Programs.LOAD_WORD);
    }

    private static String run(Rig r) {
        StringWriter trace = new StringWriter();
        r.machine().tracer().addSink(new TextTraceSink(trace));
        r.machine().run(RunLimits.none().withMaxInsns(100));
        r.machine().tracer().close();
        return trace.toString();
    }

    @Test
    void aRamUpsetAtATimeIsWhatTheCpuLoads() throws Exception {
        Rig r = rig(0);
        FaultSession f = FaultPlan.parse("""
                rules:
                  - point: ram
                    match: { address: 0x40100020 }
                    action: { type: flip, bit: 0 }
                """, "plan.yaml").applyTo(r.machine());
        String trace = run(r);
        assertThat(r.machine().cpu().reg(4)).isEqualTo(0x12345679);
        assertThat(trace).contains("fault.inject").contains("ram rule 1 flip bit=0: RAM word at 0x40100020: 0x12345678 -> 0x12345679");
        assertThat(f.report()).contains("ram       RAM word at 0x40100020: 0x12345678 -> 0x12345679");
    }

    @Test
    void aRamUpsetLaterThanTheLoadChangesNothingTheCpuSaw() throws Exception {
        Rig r = rig(0);
        FaultPlan.builder().rule(Rule.at("ram").address(Programs.DATA).after(1_000_000).action(Action.flip(0xFF))).build().applyTo(r.machine());
        run(r);
        assertThat(r.machine().cpu().reg(4)).isEqualTo(0x12345678);
    }

    /** The word a range upset picks, per seed: the same seed picks the same word, other seeds others. */
    private long pick(long seed) throws Exception {
        Rig r = rig(seed);
        FaultSession f = FaultPlan.parse("""
                rules:
                  - point: ram
                    match: { address: 0x40200000-0x402fffff }
                    when: { after: 2ns }
                    action: { type: flip, mask: 0x80000000 }
                """, "plan.yaml").applyTo(r.machine());
        run(r);
        assertThat(f.injections()).hasSize(1);
        Injection i = f.injections().get(0);
        assertThat(i.address()).isBetween(0x4020_0000L, 0x402f_fffcL);
        assertThat(i.address() % 4).isZero();
        assertThat(i.newValue()).isEqualTo(i.oldValue() ^ 0x8000_0000L);
        return i.address();
    }

    @Test
    void aRangeUpsetPicksItsWordWithTheRunsSeed() throws Exception {
        assertThat(pick(7)).isEqualTo(pick(7));
        Set<Long> words = new HashSet<>();
        for (long seed = 0; seed < 5; seed++) {
            words.add(pick(seed));
        }
        assertThat(words).hasSizeGreaterThan(1);
    }

    @Test
    void aRegisterFlipHappensExactlyAtAnInstructionCount() throws Exception {
        // After 3 instructions (movw, movt, ldr) r4 holds the loaded word.
        Rig r = rig(0);
        FaultSession f = FaultPlan.parse("""
                rules:
                  - point: cpu0.reg
                    when: { insn: 3 }
                    action: { type: flip, reg: r4, bit: 31 }
                """, "plan.yaml").applyTo(r.machine());
        String trace = run(r);
        assertThat(r.machine().cpu().reg(4)).isEqualTo(0x92345678);
        assertThat(trace).contains("cpu0.reg rule 1 flip reg=r4 bit=31: r4 of cpu0: 0x12345678 -> 0x92345678");
        assertThat(f.injected()).isEqualTo(1);
        // After 2 (movw, movt), the flip moves the load's address: it reads zeroed RAM.
        Rig r2 = rig(0);
        FaultPlan.builder().rule(Rule.at("cpu0.reg").atInstruction(2).action(Action.flipRegister(1, 6))).build().applyTo(r2.machine());
        run(r2);
        assertThat(r2.machine().cpu().reg(1)).isEqualTo(0x40100060);
        assertThat(r2.machine().cpu().reg(4)).isZero();
    }

    @Test
    void aRegisterFlipAtATime() throws Exception {
        Rig r = rig(0);
        FaultPlan.parse("""
                rules:
                  - point: cpu0.reg
                    when: { after: 1ms }
                    action: { type: flip, reg: r7, mask: 0xff }
                """, "plan.yaml").applyTo(r.machine());
        // The program powers off after 6 instructions, before 1 ms: nothing happens.
        run(r);
        assertThat(r.machine().cpu().reg(7)).isZero();
    }

    @Test
    void fetchAndDataReadsAreToldApart() throws Exception {
        // The ldr at 0x40100008 fetched as a nop: r4 keeps 0.
        Rig r = rig(0);
        FaultSession fetch = FaultPlan.parse("""
                rules:
                  - point: bus.read
                    match: { address: 0x40100008, kind: fetch }
                    action: { type: replace, value: 0xe320f000 }
                """, "plan.yaml").applyTo(r.machine());
        run(r);
        assertThat(r.machine().cpu().reg(4)).isZero();
        assertThat(fetch.injected()).isEqualTo(1);
        // Data reads only, over the whole image: the program still runs and only the load is hit.
        Rig r2 = rig(0);
        FaultSession data = FaultPlan.builder()
                .rule(Rule.at("bus.read").address(Programs.BASE, Programs.BASE + 0xfff).kind("data").action(Action.flip(1)).sticky())
                .build().applyTo(r2.machine());
        run(r2);
        assertThat(r2.machine().cpu().reg(4)).isEqualTo(0x12345679);
        assertThat(data.injected()).isEqualTo(1);
    }

    /** Apply-time checks: one line naming the rule, its line and the field. */
    private void rejects(String rules, String message) throws Exception {
        FaultPlan plan = FaultPlan.parse("rules:\n" + rules, "plan.yaml");
        Rig r = rig(0);
        assertThatThrownBy(() -> plan.applyTo(r.machine())).isInstanceOf(FaultPlanException.class).hasMessage(message);
        assertThat(r.machine().faults().all()).noneMatch(p -> p.armed());
    }

    @Test
    void newPointsCheckTheirFiltersConditionsAndParameters() throws Exception {
        rejects("  - point: ram\n    action: { type: flip, bit: 3 }\n",
                "plan.yaml: rule 1 (line 2): match: ram needs match.address: the word, or a range to pick one from with the run's seed");
        rejects("  - point: ram\n    match: { address: 0x09000000 }\n    action: { type: flip, bit: 3 }\n",
                "plan.yaml: rule 1 (line 3): match.address: 0x09000000 is not in RAM");
        rejects("  - point: ram\n    match: { address: 0x40000000, size: 4 }\n    action: { type: flip, bit: 3 }\n",
                "plan.yaml: rule 1 (line 3): match.size: size does not apply to ram; its filters: address");
        rejects("  - point: irq.uart0\n    match: { address: 0x40000000 }\n    action: drop\n",
                "plan.yaml: rule 1 (line 3): match.address: address does not apply to irq.uart0 (it takes no match: filters)");
        rejects("  - point: irq.*\n    when: { nth: 2 }\n    action: { type: storm, period: 10us, duration: 1ms }\n",
                "plan.yaml: rule 1 (line 3): when.nth: storm at irq.uart0 happens once, at when.after; nth does not apply (write one rule per fault)");
        rejects("  - point: irq.rtc\n    action: stuck-high\n    times: 3\n",
                "plan.yaml: rule 1 (line 4): times: stuck-high at irq.rtc happens once; write one rule per fault");
        rejects("  - point: cpu0.reg\n    action: { type: flip, bit: 3 }\n",
                "plan.yaml: rule 1 (line 3): action: flip at cpu0.reg needs parameter 'reg' (r0 to r15, sp, lr or pc), like { type: flip, reg: r3, bit: 0 }");
        rejects("  - point: ram\n    match: { address: 0x40000000 }\n    action: { type: flip, reg: r1, bit: 3 }\n",
                "plan.yaml: rule 1 (line 4): action: 'reg' applies only at cpuN.reg points, not at ram");
        rejects("  - point: bus.read\n    when: { insn: 5 }\n    action: error\n",
                "plan.yaml: rule 1 (line 3): when.insn: an instruction count applies only to flips at cpuN.reg points, not to error at bus.read");
        rejects("  - point: bus.write\n    match: { kind: fetch }\n    action: drop\n",
                "plan.yaml: rule 1 (line 3): match.kind: kind does not apply to bus.write; its filters: address, size, master, data");
        rejects("  - point: cpu1.reg\n    action: { type: flip, reg: r1, bit: 3 }\n",
                "plan.yaml: rule 1 (line 2): point: 'cpu1.reg' matches no fault point of this machine; its points: bus.read, bus.write, ram,"
                        + " irq.uart0, irq.rtc, irq.pcie.inta, irq.pcie.intb, irq.pcie.intc, irq.pcie.intd, timer.cpu0.phys, timer.cpu0.virt, irq.cpu0.timer.phys, irq.cpu0.timer.virt, irq.cpu0.timer.hyp,"
                        + " irq.cpu0.timer.sec-phys, cpu0.reg");
        rejects("  - point: timer.cpu0.virt\n    action: drop\n",
                "plan.yaml: rule 1 (line 3): action: drop is not an action of timer.cpu0.virt; its actions: drift, skip, delay");
    }
}
