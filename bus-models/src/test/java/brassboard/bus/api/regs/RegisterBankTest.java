package brassboard.bus.api.regs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegisterBankTest {
    private final Tracer tracer = new Tracer(new Scheduler());
    private final List<String> warnings = new ArrayList<>();
    private final RegisterBank bank = new RegisterBank("dev", tracer);

    RegisterBankTest() {
        tracer.setWarningListener(warnings::add);
    }

    @Test
    void fieldModesBehaveAsNamed() {
        Register r = bank.define("CTRL", 0x10)
                .field("EN", 0, 1, Access.RW)
                .field("STATUS", 4, 4, Access.RO, 0xA)
                .field("KEY", 8, 8, Access.WO)
                .field("IRQ", 16, 2, Access.W1C)
                .field("EVENT", 20, 1, Access.RC);
        assertThat(bank.read(0x10, 4)).isEqualTo(0xA0);
        r.f("IRQ").set(3);
        r.f("EVENT").set(true);
        bank.write(0x10, 4, 0xFFFF_FFFFL & ~(0x2 << 16)); // W1C only bit 16; RO/RC ignore writes
        assertThat(r.f("EN").get()).isEqualTo(1);
        assertThat(r.f("STATUS").get()).isEqualTo(0xA);
        assertThat(r.f("KEY").get()).isEqualTo(0xFF);
        assertThat(r.f("IRQ").get()).isEqualTo(2);
        // read: KEY is write-only (reads 0), reserved bits read 0, EVENT clears after the read
        assertThat(bank.read(0x10, 4)).isEqualTo(0x1L | 0xA0 | (2L << 16) | (1L << 20));
        assertThat(r.f("EVENT").isSet()).isFalse();
        assertThat(bank.read(0x10, 4)).isEqualTo(0x1L | 0xA0 | (2L << 16));
    }

    @Test
    void resetValuesAndReset() {
        Register r = bank.define("CR", 0x30).field("TXE", 8, 1, Access.RW, 1).field("RXE", 9, 1, Access.RW, 1);
        Register plain = bank.define("DATA", 0x34).reset(0x1234);
        assertThat(bank.read(0x30, 4)).isEqualTo(0x300);
        assertThat(bank.read(0x34, 4)).isEqualTo(0x1234);
        bank.write(0x30, 4, 0);
        bank.write(0x34, 4, 0xFFFF_FFFFL);
        assertThat(r.value()).isZero();
        assertThat(plain.value()).isEqualTo(-1);
        bank.reset();
        assertThat(r.value()).isEqualTo(0x300);
        assertThat(plain.value()).isEqualTo(0x1234);
    }

    @Test
    void callbacksSeeOldNewAndWritten() {
        List<String> log = new ArrayList<>();
        int[] fifo = {7};
        bank.define("DR", 0x0).onRead(() -> fifo[0]).afterRead(() -> fifo[0]++)
                .onWrite((old, now, written) -> log.add(old + "->" + now + " w" + written));
        assertThat(bank.read(0, 4)).isEqualTo(7);
        assertThat(bank.read(0, 4)).isEqualTo(8);
        bank.write(0, 4, 5);
        assertThat(log).containsExactly("0->5 w5");
    }

    @Test
    void subWordAccessesReachByteLanes() {
        Register r = bank.define("R", 0x8);
        bank.write(0x8, 4, 0x11223344L);
        assertThat(bank.read(0x9, 1)).isEqualTo(0x33);
        assertThat(bank.read(0xA, 2)).isEqualTo(0x1122);
        bank.write(0xB, 1, 0xAA);
        assertThat(r.value()).isEqualTo(0xAA223344);
        assertThat(bank.read(0x8, 8)).isEqualTo(0xAA223344L); // upper word: no register, reads zero
        assertThat(bank.read(0x9, 4)).isEqualTo(MemoryBus.BUS_ERROR); // crosses a register boundary
    }

    @Test
    void w1cWithByteWriteOnlyClearsInItsLane() {
        Register r = bank.define("RIS", 0x0).field("LO", 0, 8, Access.W1C).field("HI", 8, 8, Access.W1C);
        r.set(0xFFFF);
        bank.write(0x1, 1, 0x01);
        assertThat(r.value()).isEqualTo(0xFEFF);
    }

    @Test
    void unknownOffsetsReadZeroAndWarnOnceOrAreBusErrors() {
        assertThat(bank.read(0x100, 4)).isZero();
        assertThat(bank.read(0x100, 4)).isZero();
        assertThat(bank.write(0x100, 4, 1)).isTrue();
        assertThat(warnings).hasSize(1).first().asString().contains("offset 0x100");
        RegisterBank strict = new RegisterBank("strict", tracer).unknownOffsetsAreBusErrors();
        assertThat(strict.read(0x4, 4)).isEqualTo(MemoryBus.BUS_ERROR);
        assertThat(strict.write(0x4, 4, 0)).isFalse();
    }

    @Test
    void unimplementedFieldsWarnOncePerField() {
        bank.define("CR", 0x0).field("EN", 0, 1, Access.RW).unimplemented("SIREN", 1, 1).unimplemented("LBE", 7, 1);
        bank.write(0x0, 4, 0x1); // only EN: no warning
        assertThat(warnings).isEmpty();
        bank.write(0x0, 4, 0x3);
        bank.write(0x0, 4, 0x3);
        bank.write(0x0, 4, 0x83);
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("SIREN").contains("not implemented");
        assertThat(warnings.get(1)).contains("LBE");
        assertThat(bank.read(0x0, 4)).isEqualTo(0x83);
    }

    @Test
    void declarationMistakesAreCaught() {
        bank.define("A", 0x0);
        assertThatThrownBy(() -> bank.define("B", 0x0)).hasMessageContaining("collides with A");
        assertThatThrownBy(() -> bank.define("C", 0x2)).hasMessageContaining("not word-aligned");
        assertThatThrownBy(() -> bank.define("D", 0x4).field("X", 0, 4, Access.RW).field("Y", 3, 2, Access.RW))
                .hasMessageContaining("overlaps");
        assertThatThrownBy(() -> bank.define("E", 0x8).field("X", 30, 4, Access.RW)).hasMessageContaining("do not fit");
        assertThatThrownBy(() -> bank.define("F", 0xC).field("X", 0, 2, Access.RW, 7)).hasMessageContaining("does not fit");
    }
}
