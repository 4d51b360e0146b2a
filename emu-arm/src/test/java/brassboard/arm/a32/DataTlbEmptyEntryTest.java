package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An empty data-TLB entry must not match any access. The fast path's key is the page with the
 * access's misaligned low bits ({@code (address & ~0xFFF) | (address & (size - 1))}), so a marker that
 * is itself a possible key (it was 1: a misaligned word or halfword access at 0x001, 0x005, ... of
 * page 0) was taken for a hit on an entry never filled. Misaligned accesses are split into bytes while
 * SCTLR.A is 0 (reset), so these loads and stores to page 0 must simply work, interpreted and translated.
 */
class DataTlbEmptyEntryTest {
    private static final int CODE = 0x8000;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void misalignedAccessesToPageZeroOnAFreshCoreGoThroughTheBus(boolean translate) {
        AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        bus.map(0, new Ram("ram", 0x10000));
        bus.write(0x4, 4, 0x4433_2211L, Masters.DEBUG);
        bus.write(0x8, 4, 0x8877_6655L, Masters.DEBUG);
        int[] program = {
            0xE3A01005, // mov r1, #5
            0xE5910000, // ldr r0, [r1]        bytes 5..8: 0x55443322
            0xE1D120B0, // ldrh r2, [r1]       bytes 5..6: 0x3322
            0xE3A03021, // mov r3, #0x21
            0xE1C130B4, // strh r3, [r1, #4]   bytes 9..10 = 21 00
            0xE5813008, // str r3, [r1, #8]    bytes 13..16 = 21 00 00 00
            0xEAFFFFFE, // b .
        };
        for (int i = 0; i < program.length; i++) {
            bus.write(CODE + 4L * i, 4, program[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
        ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        if (translate) {
            cpu.setCompileThreshold(1);
        } else {
            cpu.setCompileBlocks(false);
        }
        cpu.reset(CODE);
        cpu.run(program.length + 4);
        assertThat(cpu.reg(0)).isEqualTo(0x5544_3322);
        assertThat(cpu.reg(2)).isEqualTo(0x3322);
        assertThat(bus.read(0x8, 4, Masters.DEBUG)).isEqualTo(0x8800_2155L);
        assertThat(bus.read(0xC, 4, Masters.DEBUG)).isEqualTo(0x0000_2100L);
        assertThat(bus.read(0x10, 4, Masters.DEBUG)).isEqualTo(0x0000_0000L);
    }
}
