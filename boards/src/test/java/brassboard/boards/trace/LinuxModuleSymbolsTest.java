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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A span function that is not in the symbols but in a "module" the program "loads": the program
 * calls its {@code apply_relocate} with r0 = section headers, r1 = string table, r2 = the symbol
 * table's index, laid out as a Linux kernel has them then (ELF32, values already final), then
 * calls the module's function; the function is traced from then on. An undefined symbol of the
 * same table is not taken for a definition.
 */
class LinuxModuleSymbolsTest {
    private static final long BASE = 0x4010_0000L;
    /** Words from arm-none-eabi-as. */
    private static final int[] PROGRAM = {
        0xe3a0d101, // 00 mov sp, #0x40000000
        0xe28dd602, // 04 add sp, sp, #0x200000
        0xe28f00f0, // 08 add r0, pc, #0xf0      section headers at 0x100
        0xe28f1f7b, // 0c add r1, pc, #0x1ec     string table at 0x200
        0xe3a02001, // 10 mov r2, #1             the symbol table is section 1
        0xeb000004, // 14 bl apply_relocate
        0xeb000004, // 18 bl mod_fn
        0xe3a00321, // 1c mov r0, #0x84000000
        0xe3800008, // 20 orr r0, r0, #8
        0xe1400070, // 24 hvc 0                  PSCI SYSTEM_OFF
        0xeafffffe, // 28 b .
        0xe12fff1e, // 2c apply_relocate: bx lr
        0xe2811001, // 30 mod_fn: add r1, r1, #1
        0xe12fff1e, // 34 bx lr
    };

    @TempDir
    Path tmp;

    private Path image() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(0x400).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : PROGRAM) {
            b.putInt(w);
        }
        // Elf32_Shdr[1] at 0x100 + 40: sh_addr (+12) and sh_size (+20) of the symbol table
        b.putInt(0x100 + 40 + 12, (int) BASE + 0x300).putInt(0x100 + 40 + 20, 3 * 16);
        b.put(0x200, "\0mod_fn\0other_fn\0".getBytes(StandardCharsets.US_ASCII));
        // Elf32_Sym[1]: mod_fn, a local function defined in section 1
        b.putInt(0x310, 1).putInt(0x314, (int) BASE + 0x30).putInt(0x318, 8).put(0x31c, (byte) 0x02).putShort(0x31e, (short) 1);
        // Elf32_Sym[2]: other_fn, a global function the module uses but does not define (SHN_UNDEF)
        b.putInt(0x320, 8).putInt(0x324, (int) BASE + 0x2c).put(0x32c, (byte) 0x12).putShort(0x32e, (short) 0);
        return Files.write(tmp.resolve("module.bin"), b.array());
    }

    private List<String> spans(boolean withLoader, List<String> warnings) throws Exception {
        MachineConfig config = new MachineConfig("virt", MachineConfig.DEFAULT_RAM, image(), OptionalLong.of(BASE), 0,
                MachineConfig.DEFAULT_CPU_HZ, MachineConfig.DEFAULT_RTC_EPOCH, 1);
        TestImages.Rig rig = TestImages.rig(config, null);
        List<Symbol> list = new ArrayList<>();
        list.add(new Symbol("_start", BASE, 0x2c, Symbol.Kind.FUNCTION));
        if (withLoader) {
            list.add(new Symbol("apply_relocate", BASE + 0x2c, 4, Symbol.Kind.FUNCTION));
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        Observation o = Observation.attach(rig.machine(), new SymbolTable(Path.of("System.map"), list), List.of("mod_fn", "other_fn"),
                json, false, warnings::add);
        RunResult result = rig.machine().run(RunLimits.none().withMaxInsns(10_000));
        o.finish();
        assertThat(result.outcome()).as(result.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(TraceChecker.problems(json.toByteArray())).isEmpty();
        return ObservationTest.slices(json.toByteArray(), 10);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFunctionOfALoadedModuleIsTracedOnlyWhenTheKernelHasAModuleLoader(boolean withLoader) throws Exception {
        List<String> warnings = new ArrayList<>();
        List<String> spans = spans(withLoader, warnings);
        if (withLoader) {
            assertThat(spans).containsExactly("0:mod_fn");
            assertThat(warnings).containsExactly("no function mod_fn, other_fn in the symbols (System.map); they are not traced"
                    + " unless a kernel module that defines them is loaded");
        } else {
            assertThat(spans).isEmpty();
            assertThat(warnings).containsExactly("no function mod_fn, other_fn in the symbols (System.map); they are not traced");
        }
    }
}
