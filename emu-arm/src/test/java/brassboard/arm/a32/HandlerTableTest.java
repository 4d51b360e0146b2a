package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.core.ArmCore;
import brassboard.arm.t32.T32Decoder;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Handlers are bound when an instruction of their encoding is first decoded, not when the core is made;
 * every encoding of the A32 and T32 tables still has one (checked here, as the eager binding did at
 * every start).
 */
class HandlerTableTest {
    private static final long RAM = 0x4000_0000L;

    private static ArmCore core() {
        AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        bus.map(RAM, new Ram("ram", 0x1000));
        bus.write(RAM, 4, 0xE3A00005L, Masters.DEBUG); // mov r0, #5
        bus.write(RAM + 4, 4, 0xE2800001L, Masters.DEBUG); // add r0, r0, #1
        bus.write(RAM + 8, 4, 0xEAFFFFFEL, Masters.DEBUG); // b .
        return new ArmCore(0, bus, CpuCallbacks.NONE, null);
    }

    @Test
    void everyA32AndT32EncodingHasAHandler() {
        A32Interpreter interpreter = new A32Interpreter(core());
        assertThat(interpreter.bindAll()).isEqualTo(A32Decoder.count() + T32Decoder.count());
        assertThat(interpreter.boundHandlers()).isEqualTo(A32Decoder.count());
    }

    @Test
    void aRunBindsOnlyTheEncodingsItMeets() {
        ArmCore core = core();
        A32Interpreter interpreter = new A32Interpreter(core);
        assertThat(interpreter.boundHandlers()).isZero();
        core.reset((int) RAM);
        interpreter.setCompileBlocks(false);
        interpreter.run(10);
        assertThat(core.r[0]).isEqualTo(6);
        // MOV (immediate), ADD (immediate), B
        assertThat(interpreter.boundHandlers()).isEqualTo(3);
    }

    @Test
    void anEntryIsBoundOnceAndAMissingOneIsReported() {
        AtomicInteger calls = new AtomicInteger();
        HandlerTable<String> table = new HandlerTable<>(3, e -> {
            calls.incrementAndGet();
            return e == 2 ? null : "h" + e;
        });
        assertThat(table.get(1)).isEqualTo("h1");
        assertThat(table.get(1)).isEqualTo("h1");
        assertThat(calls).hasValue(1);
        assertThat(table.boundCount()).isEqualTo(1);
        assertThatThrownBy(() -> table.get(2)).isInstanceOf(IllegalStateException.class).hasMessage("encoding 2 has no binding");
    }
}
