package brassboard.boards.trace;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.firmware.api.Symbol;
import brassboard.firmware.api.SymbolTable;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Spans pair entries with returns by stack depth: recursion nests, a tail call ends with its caller. */
class SpanPairingTest {
    private static final long BASE = 0x4010_0000L;
    /** Words from arm-none-eabi-as. */
    private static final int[] PROGRAM = {
        0xe3a0d101, // 00 mov sp, #0x40000000
        0xe28dd602, // 04 add sp, sp, #0x200000
        0xe3a00003, // 08 mov r0, #3
        0xeb000004, // 0c bl fact
        0xeb000009, // 10 bl tail
        0xe3a00321, // 14 mov r0, #0x84000000
        0xe3800008, // 18 orr r0, r0, #8
        0xe1400070, // 1c hvc 0              PSCI SYSTEM_OFF
        0xeafffffe, // 20 b .
        0xe92d4010, // 24 fact: push {r4, lr}
        0xe2504001, // 28 subs r4, r0, #1
        0xda000001, // 2c ble 1f
        0xe1a00004, // 30 mov r0, r4
        0xebfffffa, // 34 bl fact
        0xe8bd8010, // 38 1: pop {r4, pc}
        0xeaffffff, // 3c tail: b leaf
        0xe2811001, // 40 leaf: add r1, r1, #1
        0xe12fff1e, // 44 bx lr
    };

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void recursionNestsAndATailCallEndsWithItsCaller(boolean translate) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(PROGRAM.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : PROGRAM) {
            b.putInt(w);
        }
        Path image = tmp.resolve("rec.bin");
        Files.write(image, b.array());
        MachineConfig config = new MachineConfig("virt", MachineConfig.DEFAULT_RAM, image, OptionalLong.of(BASE), 0,
                MachineConfig.DEFAULT_CPU_HZ, MachineConfig.DEFAULT_RTC_EPOCH, 1);
        TestImages.Rig rig = TestImages.rig(config, null);
        rig.machine().cpu().setCompileBlocks(translate);
        rig.machine().cpu().setCompileThreshold(1);
        SymbolTable symbols = new SymbolTable(Path.of("rec.map"), List.of(
                new Symbol("fact", BASE + 0x24, 0x18, Symbol.Kind.FUNCTION),
                new Symbol("tail", BASE + 0x3c, 4, Symbol.Kind.FUNCTION),
                new Symbol("leaf", BASE + 0x40, 8, Symbol.Kind.FUNCTION)));
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        List<String> warnings = new ArrayList<>();
        Observation o = Observation.attach(rig.machine(), symbols, List.of("fact", "tail", "leaf"), json, false, warnings::add);
        RunResult result = rig.machine().run(RunLimits.none().withMaxInsns(10_000));
        o.finish();
        assertThat(result.outcome()).as(result.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(warnings).isEmpty();
        assertThat(TraceChecker.problems(json.toByteArray())).isEmpty();
        assertThat(ObservationTest.slices(json.toByteArray(), 10))
                .containsExactly("0:fact", "1:fact", "2:fact", "0:tail", "1:leaf");
        String text = json.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).as("every span returned").doesNotContain("\"tid\":10,\"args\":{\"ended\"");
        assertThat(rig.machine().cpu().pcHooks()).as("return hooks are gone")
                .containsExactlyInAnyOrder((int) BASE + 0x24, (int) BASE + 0x3c, (int) BASE + 0x40);
    }
}
