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

/** LDM/STM through the data fast path's array: same results as access by access, and its limits kept. */
class LoadStoreMultipleFastPathTest {
    private static final long BASE = 0x4000_0000L;
    private final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
    private final Ram ram = new Ram("ram", 0x10000);

    LoadStoreMultipleFastPathTest() {
        bus.map(BASE, ram);
    }

    private void put(long address, int... words) {
        for (int i = 0; i < words.length; i++) {
            bus.write(address + 4L * i, 4, words[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
    }

    private int word(long address) {
        return (int) bus.read(address, 4, Masters.DEBUG);
    }

    /**
     * r0 = source, r1 = destination: copies 8 words twice (the first LDM/STM fill the fast path, the
     * second go through the array), then stops at "b .".
     */
    private ArmCpu copyTwice(int src, int dst) {
        put(BASE,
                0xE8B00FF0,   // ldm   r0!, {r4-r11}
                0xE8A10FF0,   // stmia r1!, {r4-r11}
                0xE8B00FF0,   // ldm   r0!, {r4-r11}
                0xE8A10FF0,   // stmia r1!, {r4-r11}
                0xEAFFFFFE);  // b .
        ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        cpu.setCompileBlocks(false);
        cpu.reset((int) BASE);
        cpu.setReg(0, src);
        cpu.setReg(1, dst);
        cpu.run(5);
        return cpu;
    }

    @Test
    void copiesWithinOnePageAndAcrossAPageEdgeAreExact() {
        for (int src : new int[] {(int) BASE + 0x2000, (int) BASE + 0x2FF0}) { // the second crosses into 0x3000
            int dst = (int) BASE + 0x5FE8; // the second STM crosses into 0x6000
            for (int i = 0; i < 16; i++) {
                put(src + 4L * i, 0x1111_0000 + i);
            }
            ArmCpu cpu = copyTwice(src, dst);
            for (int i = 0; i < 16; i++) {
                assertThat(word(dst + 4L * i)).as("src %08x word %d", src, i).isEqualTo(0x1111_0000 + i);
            }
            assertThat(cpu.reg(0)).isEqualTo(src + 64);
            assertThat(cpu.reg(1)).isEqualTo(dst + 64);
            assertThat(cpu.reg(11)).isEqualTo(0x1111_000F);
        }
    }

    @Test
    void anStmIntoAPageThatBecameCodeAfterTheFastPathWasFilledStillDropsTheDecodedCode() {
        long x = BASE + 0x3000; // a data page first, code later
        long src = BASE + 0x2000;
        put(BASE,
                0xE5813100,   // str   r3, [r1, #0x100]   page X enters the write fast path
                0xE12FFF31,   // blx   r1                 runs X: its page is decoded (and watched)
                0xE1A05002,   // mov   r5, r2
                0xE89000C0,   // ldm   r0, {r6, r7}       new code for X
                0xE88100C0,   // stm   r1, {r6, r7}       X is still the fast write page, but holds code now
                0xE12FFF31,   // blx   r1
                0xEAFFFFFE);  // b .
        put(x, 0xE3A02001, 0xE12FFF1E);   // mov r2, #1 ; bx lr
        put(src, 0xE3A02002, 0xE12FFF1E); // mov r2, #2 ; bx lr
        for (boolean translate : new boolean[] {false, true}) {
            put(x, 0xE3A02001, 0xE12FFF1E);
            ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
            if (translate) {
                cpu.setCompileThreshold(1);
            } else {
                cpu.setCompileBlocks(false);
            }
            cpu.reset((int) BASE);
            cpu.setReg(0, (int) src);
            cpu.setReg(1, (int) x);
            cpu.run(12);
            assertThat(cpu.reg(5)).isEqualTo(1);
            assertThat(cpu.reg(2)).as("translate=%s: the rewritten code ran", translate).isEqualTo(2);
        }
    }
}
