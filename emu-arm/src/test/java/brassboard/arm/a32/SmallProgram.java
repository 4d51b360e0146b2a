package brassboard.arm.a32;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;

/** A few words of A32 code at {@link #RAM} in 16 KiB of RAM, and a core on it, translating at once or never. */
final class SmallProgram {
    static final long RAM = 0x4000_0000L;
    static final int STACK = (int) RAM + 0x3000;

    private SmallProgram() {
    }

    /** A bus with {@code program} at {@link #RAM}. */
    static AddressSpace bus(int... program) {
        AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        bus.map(RAM, new Ram("ram", 0x4000));
        for (int i = 0; i < program.length; i++) {
            bus.write(RAM + 4L * i, 4, program[i] & 0xFFFF_FFFFL, Masters.DEBUG);
        }
        return bus;
    }

    /** A core reset to {@link #RAM} with SP at {@link #STACK}, translating from the first step when {@code translate}, else never. */
    static ArmCpu cpu(AddressSpace bus, boolean translate) {
        ArmCpu cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        if (translate) {
            cpu.setCompileThreshold(1);
        } else {
            cpu.setCompileBlocks(false);
        }
        cpu.reset((int) RAM);
        cpu.setReg(13, STACK);
        return cpu;
    }
}
