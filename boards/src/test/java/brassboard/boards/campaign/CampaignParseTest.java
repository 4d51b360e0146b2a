package brassboard.boards.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.TestImages;
import brassboard.boards.faults.Action;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Campaign YAML: what a good file means, and one line naming the file, line and field for each kind of mistake. */
class CampaignParseTest {
    @TempDir
    Path dir;

    private String image() {
        return TestImages.image("hello.elf").toAbsolutePath().toString();
    }

    private Campaign parse(String yaml) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml);
        return Campaign.load(f);
    }

    private String error(String yaml) {
        Path f = dir.resolve("c.yaml");
        try {
            Files.writeString(f, yaml);
            Campaign.load(f);
        } catch (CampaignException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no error for\n" + yaml);
    }

    @Test
    void aCampaignCanBootARawImageWithAUsbStickAndPacedInput() throws Exception {
        Files.write(dir.resolve("stick.img"), new byte[4096]);
        Campaign c = parse("""
                image: %s
                load-address: 0x40000000
                usb: [ "storage,disk=stick.img,port=3", "supertop,disk=stick.img,bad-read=5,return-after=2s" ]
                prompt: '=> $'
                ignore-output: ' in [0-9]+ ms'
                input: "usb start\\n"
                plans:
                  - name: p
                    rules: [ { point: disk.usb3.sector, match: { lba: 5 }, action: unc } ]
                """.formatted(image()));
        assertThat(c.setup().loadAddress()).hasValue(0x4000_0000L);
        assertThat(c.setup().usb()).hasSize(2);
        assertThat(c.setup().usb().get(1).kind()).as("a bridge stays a bridge").isEqualTo(brassboard.boards.api.UsbAttachment.Kind.SUPERTOP);
        assertThat(c.setup().usb().get(1).defects().none()).isFalse();
        assertThat(c.setup().usb().get(1).wedge().returnAfterNs()).isEqualTo(2_000_000_000L);
        assertThat(c.setup().usb().get(0).disk()).isEqualTo(dir.resolve("stick.img"));
        assertThat(c.setup().usb().get(0).port()).hasValue(3);
        assertThat(c.setup().prompt().orElseThrow().pattern()).isEqualTo("=> $");
        assertThat(c.machineConfig(0).loadAddress()).hasValue(0x4000_0000L);
        assertThat(new String(c.setup().comparable("read in 8 ms\nread in 1044 ms\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)),
                java.nio.charset.StandardCharsets.ISO_8859_1)).as("what the golden comparison sees").isEqualTo("read \nread \n");
        assertThat(c.settingsText()).contains("usb=[storage,disk=" + dir.resolve("stick.img") + ",port=3, supertop,disk=").contains("prompt==> $");
        assertThat(parse("image: %s\nplans: [ { name: p, rules: [ { point: bus.read, action: error } ] } ]\n".formatted(image()))
                .settingsText()).as("a campaign without them keeps its settings text (and its results)").doesNotContain("usb=");
    }

    @Test
    void usbLoadAddressAndPromptMistakes() {
        String rest = "plans: [ { name: p, rules: [ { point: bus.read, action: error } ] } ]\n";
        assertThat(error("image: %s\nusb: [ \"storage,disk=nope.img\" ]\n%s".formatted(image(), rest)))
                .isEqualTo(dir.resolve("c.yaml") + ": line 2: usb: " + dir.resolve("nope.img") + ": no such file");
        assertThat(error("image: %s\nusb: [ \"mouse\" ]\n%s".formatted(image(), rest)))
                .contains("line 2: usb: --usb mouse: unknown device kind 'mouse'");
        assertThat(error("image: %s\nload-address: 0x100000000\n%s".formatted(image(), rest)))
                .endsWith("line 2: load-address: 0x100000000 is outside the 32-bit address space");
        assertThat(error("image: %s\nprompt: '=> ('\n%s".formatted(image(), rest)))
                .contains("line 2: prompt: '=> (' is not a valid regular expression");
    }

    @Test
    void aFullCampaignMeansWhatItSays() throws Exception {
        Files.writeString(dir.resolve("drop.yaml"), "rules:\n  - point: bus.write\n    action: drop\n");
        Campaign c = parse("""
                name: demo
                image: %s
                cpus: 2
                ram: 64M
                limits: { max-time: 5ms, max-insns: 1_000_000, max-output: 64K }
                watchdog: { hard: 2ms, soft: 4ms }
                golden: { seed: 7 }
                seeds: 1-3
                detected: { exit: [1, 7], output: 'recovered' }
                crash: { output: 'PANIC', exception-loop: 8 }
                plans:
                  - file: drop.yaml
                    seeds: [10]
                  - name: uart-flip
                    rules:
                      - point: bus.write
                        match: { address: 0x09000000 }
                        action: { type: flip, mask: 0x1 }
                  - { name: flow, rules: [ { point: bus.read, action: error } ], seeds: 5 }
                generate:
                  - name: regs
                    point: bus.write
                    registers: { from: 0x08000100, to: 0x08000108, stride: 4 }
                    bits: [0, 4-5]
                    action: set
                    times: 2
                    match: { master: cpu0 }
                    when: { nth: 2 }
                    seeds: [0]
                """.formatted(image()));
        assertThat(c.name()).isEqualTo("demo");
        assertThat(c.cpus()).isEqualTo(2);
        assertThat(c.ramBytes()).isEqualTo(64L << 20);
        assertThat(c.maxTimeNs()).isEqualTo(5_000_000L);
        assertThat(c.maxInsns()).isEqualTo(1_000_000L);
        assertThat(c.maxOutput()).isEqualTo(64L << 10);
        assertThat(c.watchdog().hardNs()).isEqualTo(2_000_000L);
        assertThat(c.watchdog().stopOnLockup()).isTrue();
        assertThat(c.goldenSeed()).isEqualTo(7);
        assertThat(c.detectedExit()).containsExactlyInAnyOrder(1, 7);
        assertThat(c.exceptionLoop()).isEqualTo(8);
        List<String> ids = c.runs().stream().map(RunSpec::id).toList();
        assertThat(ids).startsWith("drop#10", "uart-flip#1", "uart-flip#2", "uart-flip#3", "flow#5", "regs/0x08000100/bit0#0",
                "regs/0x08000100/bit4#0", "regs/0x08000100/bit5#0", "regs/0x08000104/bit0#0");
        assertThat(ids).hasSize(1 + 3 + 1 + 9);
        assertThat(c.runs().get(1).plan()).isEqualTo(FaultPlan.builder()
                .rule(Rule.at("bus.write").address(0x0900_0000L).action(Action.flip(1))).build());
        RunSpec gen = c.runs().get(6);
        assertThat(gen.plan()).isEqualTo(FaultPlan.builder().rule(Rule.at("bus.write").address(0x0800_0100L).master("cpu0").nth(2)
                .action(Action.set(1L << 4)).times(2)).build());
        assertThat(gen.group()).isEqualTo("regs 0x08000100");
        assertThat(gen.pointAction()).isEqualTo("bus.write set");
    }

    @Test
    void defaultsAndTheWatchdogOff() throws Exception {
        Campaign c = parse("image: %s\nwatchdog: off\nplans:\n  - name: p\n    rules:\n      - point: bus.read\n        action: error\n"
                .formatted(image()));
        assertThat(c.name()).isEqualTo("c");
        assertThat(c.cpus()).isEqualTo(1);
        assertThat(c.maxTimeNs()).isEqualTo(Campaign.DEFAULT_MAX_TIME_NS);
        assertThat(c.watchdog().enabled()).isFalse();
        assertThat(c.exceptionLoop()).isEqualTo(Campaign.DEFAULT_EXCEPTION_LOOP);
        assertThat(c.runs()).extracting(RunSpec::id).containsExactly("p#0");
    }

    @Test
    void aRelativeBoardFileIsFoundBesideTheCampaignNotInTheWorkingDirectory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("campaigns").resolve("boards"));
        Path boardFile = Files.writeString(sub.resolve("tiny.yaml"), brassboard.boards.board.BoardReaderTestAccess.base());
        Path f = Files.writeString(dir.resolve("campaigns").resolve("c.yaml"),
                "image: %s\nboard: boards/tiny.yaml\nplans:\n  - name: p\n    rules: [ { point: bus.read, action: error } ]\n".formatted(image()));
        assertThat(Path.of("boards/tiny.yaml")).as("not in the working directory").doesNotExist();
        Campaign c = Campaign.load(f);
        assertThat(Path.of(c.board())).isEqualTo(boardFile.toAbsolutePath().normalize());
        assertThat(brassboard.boards.board.Boards.load(c.board()).name()).isEqualTo("tiny");
        assertThat(parse("image: %s\nboard: virt\nplans:\n  - name: p\n    rules: [ { point: bus.read, action: error } ]\n"
                .formatted(image())).board()).isEqualTo("virt");
        assertThat(error("image: %s\nboard: gone.yaml\nplans:\n  - name: p\n    rules: [ { point: bus.read, action: error } ]\n"
                .formatted(image()))).isEqualTo(dir.resolve("c.yaml") + ": line 2: board: " + dir.toAbsolutePath().resolve("gone.yaml")
                + ": no such board file; expected a built-in board (virt) or a board file (paths are relative to the campaign file)");
    }

    @Test
    void mistakesNameTheFileLineAndField() {
        String f = dir.resolve("c.yaml").toString();
        String plan = "plans:\n  - name: p\n    rules:\n      - point: bus.read\n        action: error\n";
        assertThat(error("image: %s\nlimits: { max-time: 10 parsecs }\n%s".formatted(image(), plan)))
                .isEqualTo(f + ": line 2: limits.max-time: '10 parsecs' is not a duration; expected a number and a unit (ns, us, ms, s, min), like 2ms");
        assertThat(error("image: %s\ncolour: blue\n%s".formatted(image(), plan)))
                .startsWith(f + ": line 2: colour: unknown field; expected name, image, board");
        assertThat(error("image: %s\ndetected: { output: '([' }\n%s".formatted(image(), plan)))
                .startsWith(f + ": line 2: detected.output: '([' is not a valid regular expression");
        assertThat(error("image: nowhere.elf\n" + plan)).contains(": line 1: image: ").endsWith("nowhere.elf: no such file");
        assertThat(error("cpus: 2\n" + plan)).isEqualTo(f + ": line 1: image: missing; a campaign names its firmware image, like image: firmware/images/irq-demo.elf");
        assertThat(error("image: %s\ncpus: 9\n%s".formatted(image(), plan))).isEqualTo(f + ": line 2: cpus: 9 is not a core count; expected 1 to 8");
        assertThat(error("image: %s\n".formatted(image()))).endsWith("plans: the campaign has no runs; expected plans: (plan files or inline rules) or generate:");
        assertThat(error("image: %s\nseeds: 5-1\n%s".formatted(image(), plan))).isEqualTo(f + ": line 2: seeds: '5-1' is an empty range: its end is below its start");
        assertThat(error("image: %s\nplans: [ [x] ]\n".formatted(image()))).isEqualTo(f + ": line 2: plans[1]: expected a mapping, like plans[1]: { ... }");
        assertThat(error("image: %s\nplans:\n  - name: p\n  - name: p2\n".formatted(image())))
                .isEqualTo(f + ": line 3: plans[1]: expected either file: (a plan file) or rules: (an inline plan), not neither");
        assertThat(error("image: %s\n%s%s".formatted(image(), plan, plan.replace("plans:\n", ""))))
                .contains("plans[2]: plan id 'p' is used twice");
        assertThat(error("image: %s\nplans: [\n".formatted(image()))).startsWith(f + ": line ").contains("YAML syntax error");
        assertThat(error("# nothing but a comment\n"))
                .isEqualTo(f + ": the campaign is empty; expected a mapping with image: and plans: or generate:");
        assertThat(error("image: a\nimage: b\n")).isEqualTo(f + ": line 2: key 'image' appears twice in the same mapping (first on line 1)");
    }

    @Test
    void anInlinePlansErrorsKeepTheCampaignFilesLineNumbers() {
        String f = dir.resolve("c.yaml").toString();
        String msg = error("""
                image: %s
                plans:
                  - name: p
                    rules:
                      - point: bus.write
                        action: drop
                      - point: bus.read
                        when: { probability: 1.5 }
                        action: error
                """.formatted(image()));
        assertThat(msg).isEqualTo(f + ": plan 'p': rule 2 (line 8): when.probability: 1.5 is outside [0, 1]");
        String flow = error("image: %s\nplans:\n  - { name: q, rules: [ { point: bus.read, action: zap } ], seeds: 1 }\n".formatted(image()));
        assertThat(flow).startsWith(f + ": plan 'q': rule 1 (line 3): action: 'zap' is not a fault action");
    }

    @Test
    void aPlanFilesErrorsNameThePlanFile() throws Exception {
        Path plan = dir.resolve("bad.yaml");
        Files.writeString(plan, "rules:\n  - point: bus.read\n    action: { type: flip }\n");
        String f = dir.resolve("c.yaml").toString();
        assertThat(error("image: %s\nplans:\n  - file: bad.yaml\n".formatted(image())))
                .isEqualTo(f + ": line 3: plans[1].file: " + plan + ": rule 1 (line 3): action: action flip needs parameter 'mask' or 'bit'");
        assertThat(error("image: %s\nplans:\n  - file: none.yaml\n".formatted(image()))).endsWith("none.yaml: no such file");
    }

    @Test
    void generatorMistakes() {
        String f = dir.resolve("c.yaml").toString();
        String head = "image: %s\ngenerate:\n  - point: bus.write\n".formatted(image());
        assertThat(error(head + "    registers: [0x08000100]\n    bits: 0-64\n    action: flip\n"))
                .isEqualTo(f + ": line 5: generate[1].bits: bit 64 is outside a 64-bit access; expected 0 to 63");
        assertThat(error(head + "    registers: [0x1_0000_0000]\n    bits: 0\n    action: flip\n"))
                .isEqualTo(f + ": line 4: generate[1].registers: '0x1_0000_0000' is outside the 32-bit address space");
        assertThat(error(head + "    registers: [0x08000100]\n    bits: 0\n    action: drop\n"))
                .isEqualTo(f + ": line 6: generate[1].action: 'drop' cannot be generated per bit; expected flip, set or clear");
        assertThat(error(head + "    registers: [0x08000100]\n    bits: 0\n    action: flip\n    match: { master: gpu0 }\n"))
                .isEqualTo(f + ": line 7: generate[1].match.master: 'gpu0' is not a master; expected cpuN, dmaN, cpu* or dma*");
        assertThat(error(head + "    registers: { from: 0x08000108, to: 0x08000100 }\n    bits: 0\n    action: flip\n"))
                .isEqualTo(f + ": line 4: generate[1].registers: 0x8000108-0x8000100 is an empty range: its end is below its start");
        assertThat(error(head + "    registers: [0x08000100, 0x08000100]\n    bits: 0\n    action: flip\n"))
                .contains("generate[1]: plan id 'gen1/0x08000100/bit0' is generated twice");
    }
}
