package brassboard.boards.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a plan can be wrong gives one line naming the file, the rule, its line and the field. */
class FaultPlanValidationTest {
    @TempDir
    Path dir;

    /** A plan whose second rule (from line 4) is {@code rule}, indented as a list item's fields. */
    private static String plan(String rule) {
        return "rules:\n"
                + "  - point: bus.write\n"
                + "    action: drop\n"
                + "  - point: bus.read\n"
                + rule;
    }

    static Stream<Arguments> badPlans() {
        return Stream.of(
                Arguments.of(plan("    when: { probability: 1.5 }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): when.probability: 1.5 is outside [0, 1]"),
                Arguments.of(plan("    when: { probability: -0.1 }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): when.probability: -0.1 is outside [0, 1]"),
                Arguments.of(plan("    when: { probability: often }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): when.probability: 'often' is not a number; expected a probability in [0, 1]"),
                Arguments.of(plan("    action: explode\n"),
                        "plan.yaml: rule 2 (line 5): action: 'explode' is not a fault action; known actions: error, flip, set, clear, replace, delay, drop, spurious, storm, stuck-high, stuck-low, drift, skip, completer-abort, unsupported-request, poison, link-down, corrupt, fcs-error, ring-overflow, pll-unlock, calibration-fail, garbage, timeout, crc, stall, babble, nak-storm, disconnect, reconnect, wrong-residue, phase-error, bad-signature, bad-tag, no-csw, check-condition, busy, unc, write-fault, latency, grow, wedge"),
                Arguments.of(plan("    action: { type: zap, mask: 1 }\n"),
                        "plan.yaml: rule 2 (line 5): action.type: 'zap' is not a fault action; known actions: error, flip, set, clear, replace, delay, drop, spurious, storm, stuck-high, stuck-low, drift, skip, completer-abort, unsupported-request, poison, link-down, corrupt, fcs-error, ring-overflow, pll-unlock, calibration-fail, garbage, timeout, crc, stall, babble, nak-storm, disconnect, reconnect, wrong-residue, phase-error, bad-signature, bad-tag, no-csw, check-condition, busy, unc, write-fault, latency, grow, wedge"),
                Arguments.of(plan("    action: flip\n"),
                        "plan.yaml: rule 2 (line 5): action: action flip needs parameter 'mask' or 'bit', like { type: flip, mask: 0x1 }"),
                Arguments.of(plan("    action: { type: replace }\n"),
                        "plan.yaml: rule 2 (line 5): action: action replace needs parameter 'value'"),
                Arguments.of(plan("    action: { type: error, mask: 0x1 }\n"),
                        "plan.yaml: rule 2 (line 5): action.mask: action error has no parameter 'mask' (it takes none)"),
                Arguments.of(plan("    action: { type: flip, mask: 0x1, value: 2 }\n"),
                        "plan.yaml: rule 2 (line 5): action.value: action flip has no parameter 'value'; its parameters: mask or bit, reg (optional)"),
                Arguments.of(plan("    action: { type: flip, mask: lots }\n"),
                        "plan.yaml: rule 2 (line 5): action.mask: 'lots' is not a number; expected decimal or hex like 0x1f"),
                Arguments.of(plan("    action:\n      type: delay\n      ns: 5 fortnights\n"),
                        "plan.yaml: rule 2 (line 7): action.ns: '5 fortnights' is not a duration; expected a number and a unit (ns, us, ms, s, min), like 2ms"),
                Arguments.of(plan("    match: { address: 0x2000-0x1000 }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): match.address: '0x2000-0x1000' is an empty range: its end is below its start"),
                Arguments.of(plan("    match: { address: 0x100000000 }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): match.address: '0x100000000' is outside the 32-bit address space"),
                Arguments.of(plan("    match: { address: here-there }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): match.address: 'here' is not a number; expected decimal or hex like 0x1f"),
                Arguments.of(plan("    match: { size: 3 }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): match.size: 3 is not an access size; expected 1, 2, 4 or 8"),
                Arguments.of(plan("    match: { master: gpu0 }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): match.master: 'gpu0' is not a master; expected cpuN, dmaN, cpu* or dma*"),
                Arguments.of(plan("    match: { data: { mask: 0xff } }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): match.data.value: missing; match.data needs the value to compare with"),
                Arguments.of(plan("    match: { data: { value: 1, bits: 2 } }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): match.data.bits: unknown field; expected value or mask"),
                Arguments.of(plan("    match: { adress: 0x1000 }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): match.adress: unknown field; expected address, size, master, data, kind, lba, opcode or endpoint"),
                Arguments.of(plan("    when: { after: 2 parsecs }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): when.after: '2 parsecs' is not a duration; expected a number and a unit (ns, us, ms, s, min), like 2ms"),
                Arguments.of(plan("    when: { before: 10 }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): when.before: '10' is not a duration; expected a number and a unit (ns, us, ms, s, min), like 2ms"),
                Arguments.of(plan("    when:\n      after: 2ms\n      before: 1ms\n    action: error\n"),
                        "plan.yaml: rule 2 (line 7): when.before: the window is empty: 'before' must be later than 'after'"),
                Arguments.of(plan("    when: { nth: 0 }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): when.nth: 0 is not a whole number of 1 or more"),
                Arguments.of(plan("    when: { every: 2.5 }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): when.every: '2.5' is not a whole number of 1 or more"),
                Arguments.of(plan("    when: { nth: 2, every: 3 }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): when.every: cannot be combined with when.nth; use one of them"),
                Arguments.of(plan("    when: { sometimes: yes }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): when.sometimes: unknown field; expected after, before, nth, every, probability or insn"),
                Arguments.of(plan("    action: storm\n"),
                        "plan.yaml: rule 2 (line 5): action: action storm needs parameter 'period', like { type: storm, period: 20us }"),
                Arguments.of(plan("    action: { type: storm, period: 10us }\n"),
                        "plan.yaml: rule 2 (line 5): action: action storm needs parameter 'duration'"),
                Arguments.of(plan("    action: { type: drift, factor: 0 }\n"),
                        "plan.yaml: rule 2 (line 5): action.factor: 0.0 is not a rate factor; expected a number above 0 (1 = the true rate)"),
                Arguments.of(plan("    action: { type: drift, factor: fast }\n"),
                        "plan.yaml: rule 2 (line 5): action.factor: 'fast' is not a number; expected a rate factor like 0.5 or 1.01"),
                Arguments.of(plan("    action: { type: flip, reg: r16, bit: 1 }\n"),
                        "plan.yaml: rule 2 (line 5): action.reg: 'r16' is not a register; expected r0 to r15, sp, lr or pc"),
                Arguments.of(plan("    action: { type: flip, bit: 32 }\n"),
                        "plan.yaml: rule 2 (line 5): action.bit: 32 is not a bit number; expected 0 to 31"),
                Arguments.of(plan("    action: { type: flip, bit: 3, mask: 0x8 }\n"),
                        "plan.yaml: rule 2 (line 5): action: action flip takes only one of parameter 'mask' or 'bit'"),
                Arguments.of(plan("    action: { type: stuck-high, duration: forever }\n"),
                        "plan.yaml: rule 2 (line 5): action.duration: 'forever' is not a duration; expected a number and a unit (ns, us, ms, s, min), like 2ms"),
                Arguments.of(plan("    action: { type: storm, period: 1ns, duration: 1ms }\n"),
                        "plan.yaml: rule 2 (line 5): action.period: a storm's period must be at least 2 ns"),
                Arguments.of(plan("    match: { kind: code }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): match.kind: 'code' is not an occurrence kind; expected fetch or data (bus.read), read or write (pcie.*.config, pcie.*.dma, disk.*.sector, rf.*), setup, in or out (usb.*.packet, usb.*.link), in, out or none (bot.*), mosi, miso or select (spi.*.transfer), calibrate (rf.*)"),
                Arguments.of(plan("    when: { insn: 5, after: 1ms }\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): when.insn: cannot be combined with when.after; a fault happens at a time or at an instruction count"),
                Arguments.of(plan("    action: error\n    times: twice\n"),
                        "plan.yaml: rule 2 (line 6): times: 'twice' is not once, sticky or a count of 1 or more"),
                Arguments.of(plan("    action: error\n    times: 0\n"),
                        "plan.yaml: rule 2 (line 6): times: '0' is not once, sticky or a count of 1 or more"),
                Arguments.of(plan("    action: error\n    often: true\n"),
                        "plan.yaml: rule 2 (line 6): often: unknown field; expected point, match, when, action or times"),
                Arguments.of(plan("    match: 0x1000\n    action: error\n"),
                        "plan.yaml: rule 2 (line 5): match: expected a mapping, like match: { ... }"),
                Arguments.of(plan("    when: { nth: 2 }\n"),
                        "plan.yaml: rule 2 (line 4): action: missing; every rule needs an action, like 'action: error' or 'action: { type: flip, mask: 0x1 }'"),
                Arguments.of("rules:\n  - action: error\n",
                        "plan.yaml: rule 1 (line 2): point: missing; every rule names a fault point, like bus.read"),
                Arguments.of("rules:\n  - point: bus.read\n    action: error\n    action: drop\n",
                        "plan.yaml: line 4: key 'action' appears twice in the same mapping (first on line 3)"),
                Arguments.of("rule:\n  - point: bus.read\n",
                        "plan.yaml: line 1: unknown top-level key 'rule'; a plan has only 'rules:'"),
                Arguments.of("rules: bus.read\n",
                        "plan.yaml: line 1: rules: expected a list of rules (lines starting with '- ')"),
                Arguments.of("- point: bus.read\n",
                        "plan.yaml: line 1: expected a mapping with 'rules:' at the top of the plan"),
                Arguments.of("",
                        "plan.yaml: the plan is empty; expected a mapping with 'rules:'"));
    }

    @ParameterizedTest
    @MethodSource("badPlans")
    void aBadPlanIsOneClearLine(String yaml, String message) throws Exception {
        Path f = dir.resolve("plan.yaml");
        Files.writeString(f, yaml);
        assertThatThrownBy(() -> FaultPlan.load(f))
                .isInstanceOf(FaultPlanException.class)
                .hasMessage(f + message.substring("plan.yaml".length()));
        assertThatThrownBy(() -> FaultPlan.parse(yaml, "plan.yaml"))
                .isInstanceOf(FaultPlanException.class)
                .hasMessage(message);
    }

    @Test
    void yamlSyntaxErrorsGiveTheLine() {
        String yaml = "rules:\n  - point: bus.read\n    action: [error\n    times: once\n";
        assertThatThrownBy(() -> FaultPlan.parse(yaml, "plan.yaml"))
                .isInstanceOf(FaultPlanException.class)
                .hasMessage("plan.yaml: line 4: YAML syntax error: expected ',' or ']', but got : (while parsing a flow sequence)");
        String tabs = "rules:\n\t- point: bus.read\n";
        assertThatThrownBy(() -> FaultPlan.parse(tabs, "plan.yaml"))
                .isInstanceOf(FaultPlanException.class)
                .hasMessageStartingWith("plan.yaml: line 2: YAML syntax error: found character '\\t(TAB)' that cannot start any token.")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aMissingFileIsOneLine() {
        assertThatThrownBy(() -> FaultPlan.load(dir.resolve("nope.yaml")))
                .isInstanceOf(FaultPlanException.class)
                .hasMessage(dir.resolve("nope.yaml") + ": no such file");
    }

    @Test
    void theMessageNamesTheFileAsGiven() throws Exception {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, plan("    when: { probability: 1.5 }\n    action: error\n"));
        assertThatThrownBy(() -> FaultPlan.load(f))
                .hasMessage(f + ": rule 2 (line 5): when.probability: 1.5 is outside [0, 1]");
    }

    @Test
    void anEmptyRuleListIsAValidPlan() throws Exception {
        assertThat(FaultPlan.parse("rules: []\n", "p.yaml").rules()).isEmpty();
        assertThat(FaultPlan.parse("rules:\n", "p.yaml").rules()).isEmpty();
    }

    @Test
    void pointsAndActionsAreCheckedAgainstTheMachine() throws Exception {
        var rig = Programs.rig(dir, 0, Programs.LOAD_WORD);
        FaultPlan noSuchPoint = FaultPlan.parse("rules:\n  - point: spi.*\n    action: drop\n", "plan.yaml");
        assertThatThrownBy(() -> noSuchPoint.applyTo(rig.machine()))
                .isInstanceOf(FaultPlanException.class)
                .hasMessage("plan.yaml: rule 1 (line 2): point: 'spi.*' matches no fault point of this machine; its points: bus.read, bus.write, ram,"
                        + " irq.uart0, irq.rtc, irq.pcie.inta, irq.pcie.intb, irq.pcie.intc, irq.pcie.intd, timer.cpu0.phys, timer.cpu0.virt, irq.cpu0.timer.phys, irq.cpu0.timer.virt, irq.cpu0.timer.hyp,"
                        + " irq.cpu0.timer.sec-phys, cpu0.reg");
        FaultPlan dropRead = FaultPlan.parse("rules:\n  - point: bus.write\n    action: drop\n  - point: bus.read\n\n    action: drop\n", "plan.yaml");
        assertThatThrownBy(() -> dropRead.applyTo(rig.machine()))
                .isInstanceOf(FaultPlanException.class)
                .hasMessage("plan.yaml: rule 2 (line 6): action: drop is not an action of bus.read; its actions: error, flip, set, clear, replace, delay");
        FaultPlan globDrop = FaultPlan.parse("rules:\n  - point: bus.*\n    action: drop\n", "plan.yaml");
        assertThatThrownBy(() -> globDrop.applyTo(rig.machine()))
                .hasMessage("plan.yaml: rule 1 (line 3): action: drop is not an action of bus.read; its actions: error, flip, set, clear, replace, delay");
        // Nothing was armed by the failed attempts.
        assertThat(rig.machine().faults().all()).noneMatch(p -> p.armed());
        assertThat(rig.machine().bus().faultPointsArmed()).isFalse();
    }

    @Test
    void theBuilderChecksItsArguments() {
        assertThatThrownBy(() -> Rule.at("bus.read").probability(1.5)).hasMessage("1.5 is outside [0, 1]");
        assertThatThrownBy(() -> Rule.at("bus.read").address(0x2000, 0x1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rule.at("bus.read").size(3)).hasMessage("3 is not an access size; expected 1, 2, 4 or 8");
        assertThatThrownBy(() -> Rule.at("bus.read").master("gpu0")).hasMessage("'gpu0' is not a master; expected cpuN, dmaN, cpu* or dma*");
        assertThatThrownBy(() -> Action.of("flip", java.util.Map.of())).hasMessage("action flip needs parameter 'mask' or 'bit'");
        assertThatThrownBy(() -> FaultPlan.builder().rule(Rule.at("bus.read")).build())
                .hasMessage("fault plan: rule 1: action: missing; every rule needs an action");
        assertThatThrownBy(() -> FaultPlan.builder().rule(Rule.at("bus.read").nth(2).every(3).action(Action.error())).build())
                .hasMessage("fault plan: rule 1: when.every: cannot be combined with when.nth; use one of them");
    }
}
