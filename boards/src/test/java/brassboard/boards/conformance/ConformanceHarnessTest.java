package brassboard.boards.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness executable's layout, and the parsing of what it writes. */
class ConformanceHarnessTest {
    private final List<TestCase> cases = new A32Generator(2, null).generate(40);
    private final Harness.Image image = Harness.build(cases);
    private final ByteBuffer elf = ByteBuffer.wrap(image.elf()).order(ByteOrder.LITTLE_ENDIAN);

    @Test
    void theElfHeaderDescribesAStaticEabi5ArmExecutable() {
        assertThat(Arrays.copyOf(image.elf(), 7)).containsExactly(0x7F, 'E', 'L', 'F', 1, 1, 1);
        assertThat(elf.getShort(16)).as("e_type ET_EXEC").isEqualTo((short) 2);
        assertThat(elf.getShort(18)).as("e_machine EM_ARM").isEqualTo((short) 40);
        assertThat(elf.getInt(24)).as("e_entry").isEqualTo(Harness.CODE);
        assertThat(elf.getInt(28)).as("e_phoff").isEqualTo(52);
        assertThat(elf.getInt(36)).as("e_flags").isEqualTo(0x0500_0000);
        assertThat(elf.getShort(42)).as("e_phentsize").isEqualTo((short) 32);
        assertThat(elf.getShort(44)).as("e_phnum").isEqualTo((short) 1);
        assertThat(elf.getShort(48)).as("e_shnum").isZero();
    }

    @Test
    void oneRwxLoadSegmentHoldsTheFileAndReachesPastTheWindow() {
        assertThat(elf.getInt(52)).as("p_type PT_LOAD").isEqualTo(1);
        assertThat(elf.getInt(56)).as("p_offset").isZero();
        assertThat(elf.getInt(60)).as("p_vaddr").isEqualTo(Harness.BASE);
        assertThat(elf.getInt(68)).as("p_filesz").isEqualTo(image.elf().length);
        assertThat(Harness.BASE + elf.getInt(72)).as("end of p_memsz").isEqualTo(Harness.WINDOW + Harness.WINDOW_SIZE);
        assertThat(elf.getInt(76)).as("p_flags RWX").isEqualTo(7);
        assertThat(image.outputAddr()).as("outputs lie after the file").isGreaterThanOrEqualTo(Harness.BASE + image.elf().length);
        assertThat(image.outputAddr() + image.outputLength()).isLessThanOrEqualTo(Harness.WINDOW);
        assertThat(image.outputLength()).isEqualTo(cases.size() * Harness.BLOCK);
    }

    @Test
    void eachSequenceSitsBetweenTheStateLoadAndTheStateSave() {
        for (int i = 0; i < cases.size(); i++) {
            int at = image.sequenceAddr()[i] - Harness.BASE;
            assertThat(elf.getInt(at - 4)).as("ldm sp, {r0-r12, lr}").isEqualTo(0xE89D_5FFF);
            assertThat(elf.getInt(at - 8)).as("msr APSR_nzcvqg, r0").isEqualTo(0xE12C_F000);
            int[] words = cases.get(i).words();
            for (int k = 0; k < words.length; k++) {
                assertThat(elf.getInt(at + 4 * k)).isEqualTo(words[k]);
            }
            int out = image.outputAddr() + i * Harness.BLOCK;
            assertThat(elf.getInt(at + 4 * words.length)).as("movw sp, #out").isEqualTo(Asm.movw(13, out & 0xFFFF));
            assertThat(elf.getInt(at + 4 * words.length + 8)).as("stm sp, {r0-r12, lr}").isEqualTo(0xE88D_5FFF);
        }
    }

    @Test
    void inputBlocksHoldRegistersFlagsAndWindow() {
        for (int i = 0; i < cases.size(); i++) {
            CpuState s = cases.get(i).initial();
            int at = image.inputAddr()[i] - Harness.BASE;
            for (int r = 0; r < 14; r++) {
                assertThat(elf.getInt(at + 4 * r)).isEqualTo(s.regs()[r]);
            }
            assertThat(elf.getInt(at + Harness.PSR_OFFSET)).isEqualTo(s.cpsr());
            assertThat(Arrays.copyOfRange(image.elf(), at + Harness.WINDOW_OFFSET, at + Harness.WINDOW_OFFSET + Harness.WINDOW_SIZE))
                    .isEqualTo(s.window());
            for (int r = 0; r < 32; r++) {
                assertThat(elf.getLong(at + Harness.VFP_OFFSET + 8 * r)).isEqualTo(s.d()[r]);
            }
            assertThat(elf.getInt(at + Harness.FPSCR_OFFSET)).isEqualTo(s.fpscr());
        }
    }

    @Test
    void everyHarnessWordIsAValidInstruction() {
        int codeEnd = image.inputAddr()[0];
        for (int a = Harness.CODE; a < codeEnd; a += 4) {
            int w = elf.getInt(a - Harness.BASE);
            if (w != 0) {
                assertThat(A32Generator.decodeName(w)).as("word %08x at %08x", w, a).isNotNull();
            }
        }
    }

    @Test
    void theDumpParsesIntoOneStatePerCase() {
        ByteBuffer dump = ByteBuffer.allocate(2 * Harness.BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < 14; r++) {
            dump.putInt(Harness.BLOCK + 4 * r, 100 + r);
        }
        dump.putInt(Harness.BLOCK + Harness.PSR_OFFSET, 0x6008_0010);
        dump.put(Harness.BLOCK + Harness.WINDOW_OFFSET + 5, (byte) 0x5A);
        List<CpuState> states = QemuDump.parse(dump.array(), 2);
        assertThat(states).hasSize(2);
        assertThat(states.get(0).regs()).containsOnly(0);
        CpuState s = states.get(1);
        assertThat(s.reg(0)).isEqualTo(100);
        assertThat(s.reg(14)).isEqualTo(113);
        assertThat(s.flags()).isEqualTo(0x6008_0000);
        assertThat(s.window()[5]).isEqualTo((byte) 0x5A);
        assertThatThrownBy(() -> QemuDump.parse(new byte[Harness.BLOCK + 1], 1))
                .hasMessageContaining("wrote " + (Harness.BLOCK + 1) + " bytes; expected 1 state blocks");
    }

    @Test
    void differencesNameRegistersFlagsAndMemory() {
        CpuState q = cases.get(0).initial();
        int[] regs = q.regs().clone();
        regs[13] ^= 1;
        byte[] window = q.window().clone();
        window[8] ^= 1;
        CpuState ours = new CpuState(regs, q.cpsr() ^ 0x8000_0000, window);
        List<String> d = Differential.compare(new BrassboardRunner.Result(ours, null), q, null);
        assertThat(d).hasSize(3);
        assertThat(d.get(0)).startsWith("r14: brassboard ");
        assertThat(d.get(1)).startsWith("flags: brassboard NZCVQ=");
        assertThat(d.get(2)).startsWith(String.format("memory 0x%08x: brassboard ", Harness.WINDOW + 8));
        assertThat(Differential.compare(new BrassboardRunner.Result(q, null), q, null)).isEmpty();
        assertThat(Differential.compare(new BrassboardRunner.Result(q, null), null, "qemu-arm exited with status 132"))
                .containsExactly("qemu-arm: qemu-arm exited with status 132; brassboard: ran to the end");
    }
}
