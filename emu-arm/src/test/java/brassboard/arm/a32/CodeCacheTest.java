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

/** The pre-decoded instruction cache stays correct when code changes under it. */
class CodeCacheTest {
    private static final long BASE = 0x4000_0000L;
    private final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
    private final Ram ram = new Ram("ram", 0x10000);
    private final ArmCpu cpu;

    CodeCacheTest() {
        bus.map(BASE, ram);
        cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
    }

    private void put(long address, int... words) {
        for (int i = 0; i < words.length; i++) {
            bus.write(address + 4L * i, 4, words[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
    }

    @Test
    void selfModifyingCodeOnTheSamePageRunsTheNewInstruction() {
        put(BASE,
                0xE3A00001,   // mov r0, #1
                0xE59F200C,   // ldr r2, [pc, #12]   (= 0xe3a00002, mov r0, #2)
                0xE28F3000,   // add r3, pc, #0      (= patch)
                0xE5832000,   // str r2, [r3]
                0xE3A00007,   // patch: mov r0, #7   (overwritten before it runs)
                0xEAFFFFFE,   // b .
                0xE3A00002);  // the literal
        // Run it once so every instruction, including the old "mov r0, #7", is decoded and cached...
        cpu.reset((int) BASE + 0x10);
        cpu.run(1);
        assertThat(cpu.reg(0)).isEqualTo(7);
        // ...then from the start: the store must invalidate the cached page.
        cpu.reset((int) BASE);
        cpu.run(6);
        assertThat(cpu.reg(0)).isEqualTo(2);
    }

    @Test
    void writesFromAnotherMasterAndImageLoadsInvalidateToo() {
        put(BASE, 0xE3A00005, 0xEAFFFFFE); // mov r0, #5 ; b .
        cpu.reset((int) BASE);
        cpu.run(2);
        assertThat(cpu.reg(0)).isEqualTo(5);
        // a DMA engine rewrites the code
        bus.write(BASE, 4, 0xE3A00006L, Masters.DMA_BASE);
        cpu.reset((int) BASE);
        cpu.run(2);
        assertThat(cpu.reg(0)).isEqualTo(6);
        // an image load (as on reset) rewrites it again
        bus.load(BASE, new byte[] {0x09, 0x00, (byte) 0xA0, (byte) 0xE3}); // mov r0, #9
        cpu.reset((int) BASE);
        cpu.run(2);
        assertThat(cpu.reg(0)).isEqualTo(9);
    }

    @Test
    void aWriteToAnotherPageLeavesTheCachedPageAlone() {
        put(BASE, 0xE3A00005, 0xEAFFFFFE);
        cpu.reset((int) BASE);
        cpu.run(2);
        bus.write(BASE + 0x2000, 4, 0xE3A00006L, Masters.cpu(0));
        assertThat(ram.isWatched(0)).isTrue();
        assertThat(ram.isWatched(0x2000)).isFalse();
        bus.write(BASE + 0x8, 4, 0, Masters.cpu(0)); // same page: the watch is dropped
        assertThat(ram.isWatched(0)).isFalse();
    }

    @Test
    void aStoreThroughTheDataFastPathStillInvalidatesCachedCode() {
        int[] program = {
            0xE59F2010,   // ldr r2, [pc, #16]   (the literal below)
            0xE28F3004,   // add r3, pc, #4      (= patch)
            0xE5832000,   // str r2, [r3]
            0xEAFFFFFF,   // b patch
            0xE3A00007,   // patch: mov r0, #7
            0xEAFFFFFE,   // b .
            0xE3A00002,   // literal: mov r0, #2
        };
        for (boolean translate : new boolean[] {false, true}) {
            put(BASE, program);
            ArmCpu core = new ArmCpu(0, bus, CpuCallbacks.NONE);
            if (translate) {
                core.setCompileThreshold(1);
            } else {
                core.setCompileBlocks(false);
            }
            core.reset((int) BASE);
            core.run(20);
            assertThat(core.reg(0)).isEqualTo(2);
            // The second time, the store hits the core's cached write page, which holds code again.
            put(BASE + 0x10, 0xE3A00007);
            put(BASE + 0x18, 0xE3A00003); // literal: mov r0, #3
            core.reset((int) BASE);
            core.run(20);
            assertThat(core.reg(0)).as("translate=%s", translate).isEqualTo(3);
        }
    }

    /**
     * Memory that is plain only at times, as a flash bank is in read-array mode: while it is, reads
     * are its bytes and the cache may decode them; otherwise every read answers a fixed word.
     */
    private static final class ModalMemory extends brassboard.bus.api.Region implements brassboard.bus.api.CodeSource {
        final Ram bytes = new Ram("modal bytes", 0x4000);
        final brassboard.bus.api.CodeSource.Watch watch = new brassboard.bus.api.CodeSource.Watch(this, 0x4000);
        boolean plain = true;
        int reads;

        ModalMemory() {
            super("modal", 0x4000);
        }

        void setPlain(boolean on) {
            watch.changingAll();
            plain = on;
        }

        @Override
        public long read(long offset, int size) {
            reads++;
            return plain ? bytes.read(offset, size) : 0xE3A00009L; // mov r0, #9
        }

        @Override
        public boolean write(long offset, int size, long value) {
            watch.changing(offset, size);
            return bytes.write(offset, size, value);
        }

        @Override
        public String kind() {
            return "MODAL";
        }

        @Override
        public byte[] codeArray(long offset) {
            return plain ? bytes.chunk(offset) : null;
        }

        @Override
        public int codeIndex(long offset) {
            return bytes.codeIndex(offset);
        }

        @Override
        public void watch(long offset) {
            watch.watch(offset);
        }

        @Override
        public void addCodeWriteListener(CodeWriteListener listener) {
            watch.add(listener);
        }
    }

    @Test
    void codeInMemoryThatIsPlainOnlyAtTimesIsCachedThenAndFetchedOtherwise() {
        ModalMemory modal = new ModalMemory();
        AddressSpace space = new AddressSpace(Tracer.none(), new FaultPoints());
        space.map(0, modal);
        modal.bytes.write(0, 4, 0xE3A00001L); // mov r0, #1
        modal.bytes.write(4, 4, 0xEAFFFFFEL); // b .
        for (boolean translate : new boolean[] {false, true}) {
            ArmCpu core = new ArmCpu(0, space, CpuCallbacks.NONE);
            if (translate) {
                core.setCompileThreshold(1);
            } else {
                core.setCompileBlocks(false);
            }
            modal.setPlain(true);
            core.reset(0);
            core.run(10);
            assertThat(core.reg(0)).isEqualTo(1);
            modal.reads = 0;
            core.reset(0);
            core.run(10);
            assertThat(core.reg(0)).isEqualTo(1);
            assertThat(modal.reads).as("translate=%s: decoded once, not fetched again", translate).isZero();
            // out of the plain mode: what was decoded is dropped and every fetch goes to the region
            modal.setPlain(false);
            core.reset(0);
            core.run(3);
            assertThat(core.reg(0)).isEqualTo(9);
            assertThat(modal.reads).isEqualTo(3);
            modal.setPlain(true);
            core.reset(0);
            core.run(3);
            assertThat(core.reg(0)).isEqualTo(1);
        }
    }
}
