package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;

/**
 * Test programs that run a body three times (r9 counts the passes, r10 walks a results area from its
 * start each pass), so that a translation made at threshold 1 runs it at least once, and then stop on a
 * branch to itself.
 */
final class ThreePassProgram {
    private ThreePassProgram() {
    }

    static int movw(int r, int v) {
        return 0xE3000000 | ((v >>> 12) & 0xF) << 16 | r << 12 | (v & 0xFFF);
    }

    static int movt(int r, int v) {
        return 0xE3400000 | ((v >>> 28) & 0xF) << 16 | r << 12 | ((v >>> 16) & 0xFFF);
    }

    /** r9 = 3; loop: r10 = {@code results}; {@code body}; subs r9, r9, #1; bne loop; b . */
    static List<Integer> around(int results, List<Integer> body) {
        List<Integer> p = new ArrayList<>();
        p.add(movw(9, 3));
        int loop = p.size();
        p.add(movw(10, results));
        p.add(movt(10, results));
        p.addAll(body);
        p.add(0xE2599001);                      // subs r9, r9, #1
        int back = loop - (p.size() + 2);
        p.add(0x1A000000 | (back & 0xFFFFFF));  // bne loop
        p.add(0xEAFFFFFE);                      // b .
        return p;
    }

    /**
     * Runs {@code program}, at {@code code} in a fresh 256 KiB RAM at 0, at translation threshold
     * {@code threshold} until it reaches its last instruction; checks that it did (and, at threshold 1,
     * that something was translated); returns the bus, to read the results from.
     */
    static AddressSpace run(List<Integer> program, int code, int threshold) {
        AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        bus.map(0, new Ram("ram", 0x40000));
        for (int i = 0; i < program.size(); i++) {
            bus.write(code + 4L * i, 4, program.get(i) & 0xFFFF_FFFFL, Masters.DEBUG);
        }
        ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        cpu.setCompileThreshold(threshold);
        cpu.reset(code);
        int end = code + 4 * (program.size() - 1);
        for (int i = 0; i < 1000 && cpu.pc() != end; i++) {
            cpu.run(1000);
        }
        assertThat(cpu.pc()).isEqualTo(end);
        if (threshold == 1) {
            assertThat(cpu.blocksCompiled()).isPositive();
        }
        return bus;
    }

    static int word(AddressSpace bus, int address) {
        return (int) bus.read(address, 4, Masters.DEBUG);
    }
}
