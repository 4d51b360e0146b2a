package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Translated loads and stores on RAM pages, unchecked ({@link RawPageAccess}) and bounds-checked, at the
 * edges of a page: the last word, halfword and byte of a page and its first word, signed and unsigned,
 * and LDM/STM of a page's last four words and of four words crossing into the next page (the slow
 * path). Each mode must leave the registers and memory exactly as the interpreter does. Each loop runs
 * three passes, the first interpreted (it fills the data TLB), the last two in a translation whose probes
 * then hit.
 */
class RawPageAccessTest {
    private static final long RAM = 0x4000_0000L;
    private final boolean rawBefore = A32Translator.rawPages;

    @AfterEach
    void restore() {
        A32Translator.rawPages = rawBefore;
    }

    @Test
    void theTestJvmExportsUnsafeSoTheUncheckedPathIsTheOneTested() {
        // the parent POM's surefire argLine (brassboard.test.jvm), as the launcher and the jar's manifest run Brassboard
        assertThat(RawPageAccess.available()).as("jdk.internal.misc exported to Brassboard's classes").isTrue();
        assertThat(RawPageAccess.BYTE_BASE).isPositive();
    }

    private static AddressSpace bus() {
        AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        bus.map(RAM, new Ram("ram", 0x8000));
        for (long a = RAM; a < RAM + 0x8000; a++) {
            bus.write(a, 1, 0x55, Masters.DEBUG);
        }
        return bus;
    }

    private static void put(AddressSpace bus, long address, int... words) {
        for (int i = 0; i < words.length; i++) {
            bus.write(address + 4L * i, 4, words[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
    }

    private static void translatedIfAsked(ArmCpu cpu, String mode) {
        if (mode.equals("interpreted")) {
            assertThat(cpu.blocksCompiled()).as("translations made").isZero();
        } else {
            assertThat(cpu.blocksCompiled()).as("translations made").isPositive();
        }
    }

    private static ArmCpu cpu(AddressSpace bus, String mode) {
        ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        if (mode.equals("interpreted")) {
            cpu.setCompileBlocks(false);
        } else {
            A32Translator.rawPages = mode.equals("raw");
            cpu.setCompileThreshold(1);
        }
        cpu.reset((int) RAM);
        return cpu;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"interpreted", "raw", "checked"})
    void loadsAndStoresAtAPagesEdges(String mode) {
        AddressSpace bus = bus();
        put(bus, RAM + 0x1000, 0x0102_0304);
        put(bus, RAM + 0x1FFC, 0xF1E2_D3C4);
        put(bus, RAM,
                0xE3A07003,   // mov r7, #3
                0xE5940FFC,   // loop: ldr r0, [r4, #0xFFC]   the page's last word
                0xE19410B8,   // ldrh r1, [r4, r8]            its last halfword
                0xE19420F8,   // ldrsh r2, [r4, r8]
                0xE7D43009,   // ldrb r3, [r4, r9]            its last byte
                0xE19460D9,   // ldrsb r6, [r4, r9]
                0xE594A000,   // ldr r10, [r4]                its first word
                0xE5850FFC,   // str r0, [r5, #0xFFC]
                0xE18C10B8,   // strh r1, [r12, r8]
                0xE7CB3009,   // strb r3, [r11, r9]
                0xE585A000,   // str r10, [r5]
                0xE2577001,   // subs r7, r7, #1
                0x1AFFFFF3,   // bne loop
                0xEAFFFFFE);  // b .
        ArmCpu cpu = cpu(bus, mode);
        cpu.setReg(4, (int) RAM + 0x1000);
        cpu.setReg(5, (int) RAM + 0x3000);
        cpu.setReg(12, (int) RAM + 0x4000);
        cpu.setReg(11, (int) RAM + 0x5000);
        cpu.setReg(8, 0xFFE);
        cpu.setReg(9, 0xFFF);
        cpu.run(1000); // to the final b .: the loop's last passes run in its translation
        translatedIfAsked(cpu, mode);
        assertThat(cpu.pc()).isEqualTo((int) RAM + 0x34);
        assertThat(cpu.reg(0)).isEqualTo(0xF1E2_D3C4);
        assertThat(cpu.reg(1)).isEqualTo(0xF1E2);
        assertThat(cpu.reg(2)).isEqualTo(0xFFFF_F1E2);
        assertThat(cpu.reg(3)).isEqualTo(0xF1);
        assertThat(cpu.reg(6)).isEqualTo(0xFFFF_FFF1);
        assertThat(cpu.reg(10)).isEqualTo(0x0102_0304);
        assertThat(bus.read(RAM + 0x3FFC, 4, Masters.DEBUG)).isEqualTo(0xF1E2_D3C4L);
        assertThat(bus.read(RAM + 0x3000, 4, Masters.DEBUG)).isEqualTo(0x0102_0304L);
        assertThat(bus.read(RAM + 0x4FFC, 4, Masters.DEBUG)).as("strh: the page's last halfword only").isEqualTo(0xF1E2_5555L);
        assertThat(bus.read(RAM + 0x5FFC, 4, Masters.DEBUG)).as("strb: the page's last byte only").isEqualTo(0xF155_5555L);
        assertThat(bus.read(RAM + 0x6000, 4, Masters.DEBUG)).as("the next page untouched").isEqualTo(0x5555_5555L);
    }

    @ParameterizedTest(name = "{0} from page offset {1}")
    @CsvSource({"interpreted,0xFF0", "raw,0xFF0", "checked,0xFF0", "interpreted,0xFF8", "raw,0xFF8", "checked,0xFF8"})
    void multipleLoadsAndStoresAtAPagesEnd(String mode, String offset) {
        int o = Integer.decode(offset);
        AddressSpace bus = bus();
        put(bus, RAM + 0x1000 + o, 0x1111_1111, 0x2222_2222, 0x3333_3333, 0x4444_4444);
        put(bus, RAM,
                0xE3A07003,   // mov r7, #3
                0xE894000F,   // loop: ldm r4, {r0-r3}
                0xE885000F,   // stm r5, {r0-r3}
                0xE2577001,   // subs r7, r7, #1
                0x1AFFFFFB,   // bne loop
                0xEAFFFFFE);  // b .
        ArmCpu cpu = cpu(bus, mode);
        cpu.setReg(4, (int) RAM + 0x1000 + o);
        cpu.setReg(5, (int) RAM + 0x3000 + o);
        cpu.run(1000);
        translatedIfAsked(cpu, mode);
        assertThat(cpu.pc()).isEqualTo((int) RAM + 0x14);
        assertThat(new int[] {cpu.reg(0), cpu.reg(1), cpu.reg(2), cpu.reg(3)})
                .containsExactly(0x1111_1111, 0x2222_2222, 0x3333_3333, 0x4444_4444);
        for (int i = 0; i < 4; i++) {
            assertThat(bus.read(RAM + 0x3000 + o + 4L * i, 4, Masters.DEBUG)).isEqualTo(0x1111_1111L * (i + 1));
        }
        assertThat(bus.read(RAM + 0x3000 + o - 4, 4, Masters.DEBUG)).isEqualTo(0x5555_5555L);
        assertThat(bus.read(RAM + 0x3000 + o + 16, 4, Masters.DEBUG)).isEqualTo(0x5555_5555L);
    }
}
