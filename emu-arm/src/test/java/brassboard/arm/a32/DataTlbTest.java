package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import org.junit.jupiter.api.Test;

/**
 * The core's data fast path holds many RAM pages at once (a direct-mapped TLB): pages that share an
 * entry replace each other, a write is seen by later reads whichever entry holds the page, a DMA
 * write between instructions is seen, and misaligned accesses still take the slow path.
 */
class DataTlbTest {
    private static final long BASE = 0x4000_0000L;
    private final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
    private final Ram ram = new Ram("ram", 0x80000);

    DataTlbTest() {
        bus.map(BASE, ram);
    }

    private void put(long address, int... words) {
        for (int i = 0; i < words.length; i++) {
            bus.write(address + 4L * i, 4, words[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
    }

    private ArmCpu cpu(boolean translate) {
        ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        if (translate) {
            cpu.setCompileThreshold(1);
        } else {
            cpu.setCompileBlocks(false);
        }
        cpu.reset((int) BASE);
        return cpu;
    }

    @Test
    void pagesThatShareAnEntryAndPagesThatDoNotKeepTheirOwnData() {
        long p = BASE + 0x10000;
        long q = BASE + 0x50000; // 64 pages on: the same entry as p
        long s = BASE + 0x11000; // the next entry
        put(BASE,
                0xE5904000,   // ldr r4, [r0]
                0xE5915000,   // ldr r5, [r1]
                0xE5926000,   // ldr r6, [r2]
                0xE5907000,   // ldr r7, [r0]
                0xE5805004,   // str r5, [r0, #4]
                0xE5814004,   // str r4, [r1, #4]
                0xE5908004,   // ldr r8, [r0, #4]
                0xE5919004,   // ldr r9, [r1, #4]
                0xE5D2A001,   // ldrb r10, [r2, #1]
                0xE1D2B0B2,   // ldrh r11, [r2, #2]
                0xE5923001,   // ldr r3, [r2, #1]   misaligned: split into bytes (SCTLR.A clear)
                0xEAFFFFFE);  // b .
        for (boolean translate : new boolean[] {false, true}) {
            put(p, 0xAAAA_0001, 0);
            put(q, 0xBBBB_0002, 0);
            put(s, 0x8877_6655, 0x0000_0099);
            ArmCpu cpu = cpu(translate);
            cpu.setReg(0, (int) p);
            cpu.setReg(1, (int) q);
            cpu.setReg(2, (int) s);
            cpu.run(1000); // to the final b .: a budget of the 11 loads and stores would leave them all to the interpreter
            String as = "translate=" + translate;
            assertThat(cpu.pc()).as(as).isEqualTo((int) BASE + 0x2C);
            if (translate) {
                assertThat(cpu.blocksCompiled()).as(as).isPositive();
            }
            assertThat(cpu.reg(4)).as(as).isEqualTo(0xAAAA_0001);
            assertThat(cpu.reg(5)).as(as).isEqualTo(0xBBBB_0002);
            assertThat(cpu.reg(6)).as(as).isEqualTo(0x8877_6655);
            assertThat(cpu.reg(7)).as(as).isEqualTo(0xAAAA_0001);
            assertThat(cpu.reg(8)).as(as).isEqualTo(0xBBBB_0002);
            assertThat(cpu.reg(9)).as(as).isEqualTo(0xAAAA_0001);
            assertThat(cpu.reg(10)).as(as).isEqualTo(0x66);
            assertThat(cpu.reg(11)).as(as).isEqualTo(0x8877);
            assertThat(cpu.reg(3)).as(as).isEqualTo(0x9988_7766);
            assertThat(bus.read(p + 4, 4, Masters.DEBUG)).isEqualTo(0xBBBB_0002L);
            assertThat(bus.read(q + 4, 4, Masters.DEBUG)).isEqualTo(0xAAAA_0001L);
        }
    }

    @Test
    void aDmaWriteToAPageTheFastPathHoldsIsSeenByTheNextLoad() {
        long p = BASE + 0x20000;
        put(BASE,
                0xE5904000,   // ldr r4, [r0]     fills the entry
                0xE5905000,   // ldr r5, [r0]     after the DMA write
                0xEAFFFFFE);  // b .
        put(p, 1);
        ArmCpu cpu = cpu(false);
        cpu.setReg(0, (int) p);
        cpu.run(1);
        bus.write(p, 4, 2, Masters.DEBUG);
        cpu.run(1);
        assertThat(cpu.reg(4)).isEqualTo(1);
        assertThat(cpu.reg(5)).isEqualTo(2);
    }
}
