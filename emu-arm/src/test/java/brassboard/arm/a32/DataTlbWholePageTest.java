package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The data fast path (interpreted and translated, single and multiple loads and stores) indexes a
 * RAM chunk with an address's low 12 bits: each chunk is one page ({@link Ram#CHUNK}). Pages that are
 * not the first of a larger block (0x3000, 0x5000, 0x1F000 into a region) read and write their own
 * bytes, warm and cold: with chunks larger than a page and no per-page base, they would read the
 * first page's.
 */
class DataTlbWholePageTest {
    private static final long RAM = 0x4000_0000L;
    private final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());

    DataTlbWholePageTest() {
        bus.map(RAM, new Ram("ram", 0x40000));
    }

    private void put(long address, int... words) {
        for (int i = 0; i < words.length; i++) {
            bus.write(address + 4L * i, 4, words[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
    }

    private long get(long address) {
        return bus.read(address, 4, Masters.DEBUG);
    }

    @ParameterizedTest(name = "translate={0} multiple={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void eachPageReadsAndWritesItsOwnBytes(boolean translate, boolean multiple) {
        long src = RAM + 0x3ABC;
        long dst = RAM + 0x5ABC;
        long far = RAM + 0x1FABC;
        put(RAM + 0x10ABC, 0x1111_1111);  // what chunk-relative indexing of a larger chunk would read instead
        put(RAM + 0x0ABC, 0x2222_2222);
        put(src, 0xCAFE_F00D);
        put(far, 0x0BAD_BEEF);
        int ldr = multiple ? 0xE8940001 : 0xE5940000;  // ldm r4, {r0} / ldr r0, [r4]
        int str = multiple ? 0xE8850001 : 0xE5850000;  // stm r5, {r0} / str r0, [r5]
        int ldrFar = multiple ? 0xE8960002 : 0xE5961000;  // ldm r6, {r1} / ldr r1, [r6]
        put(RAM,
                0xE3A07003,                              // mov r7, #3
                ldr,                                     // loop: load from src
                str,                                     // store to dst
                ldrFar,                                  // load from far
                0xE2577001,                              // subs r7, r7, #1
                0x1AFFFFFA,                              // bne loop
                0xEAFFFFFE);                             // b .
        ArmCpu cpu = SmallProgram.cpu(bus, translate);
        cpu.setReg(4, (int) src);
        cpu.setReg(5, (int) dst);
        cpu.setReg(6, (int) far);
        cpu.run(1000); // to the final b .: a budget ending mid-loop would leave the last pass to the interpreter
        assertThat(cpu.pc()).isEqualTo((int) RAM + 0x18);
        assertThat(cpu.reg(0)).isEqualTo(0xCAFE_F00D);
        assertThat(cpu.reg(1)).isEqualTo(0x0BAD_BEEF);
        assertThat(get(dst)).isEqualTo(0xCAFE_F00DL);
        assertThat(get(RAM + 0x0ABC)).as("the first page untouched").isEqualTo(0x2222_2222L);
        assertThat(get(RAM + 0x10ABC)).isEqualTo(0x1111_1111L);
    }
}
