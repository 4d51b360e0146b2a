package brassboard.boards.virt;

import brassboard.boards.TestImages;
import brassboard.boards.api.Machine;
import brassboard.bus.api.Masters;
import brassboard.bus.api.regs.Access;
import brassboard.bus.api.regs.RegisterBank;
import brassboard.bus.pcie.ConfigSpace;
import brassboard.bus.pcie.DmaPort;
import brassboard.bus.pcie.PcieEndpoint;
import java.nio.file.Path;

/**
 * A virt machine running a raw A32 program from the base of RAM, with a test endpoint plugged in at
 * 00:01.0 as master dma0: BAR0 (4 KiB) holds SRC, DST and LEN; writing GO copies LEN bytes from SRC
 * to DST by DMA, then raises the endpoint's interrupt (MSI vector 0 when MSI is on, else INTA).
 */
final class PcieRig {
    static final long RAM = VirtMap.RAM_BASE;
    static final int DEVICE = 1;
    static final int SRC = 0x0;
    static final int DST = 0x4;
    static final int LEN = 0x8;
    static final int GO = 0xC;
    /** Where the rig puts BAR0 in the 32-bit window. */
    static final long BAR0 = VirtMap.PCIE_MMIO.base();

    final Machine machine;
    final PcieEndpoint endpoint;
    private final RegisterBank regs;
    DmaPort.Result lastResult;

    PcieRig(Path dir, int... program) throws Exception {
        machine = TestImages.rig(TestImages.program(dir, RAM, program), null).machine();
        ConfigSpace cs = new ConfigSpace(4096, 0x1B36, 0xBEEF, 1, 0xFF0000)
                .bar(new ConfigSpace.Bar(0, 4096, ConfigSpace.BarKind.MEMORY32, false))
                .interruptPin(1)
                .pciExpressEndpoint()
                .msi(1, false, false)
                .powerManagement();
        endpoint = new PcieEndpoint("test", cs, machine.bus(), Masters.DMA_BASE, machine.tracer(), machine.faults());
        regs = new RegisterBank("test", machine.tracer());
        regs.define("SRC", SRC).field("SRC", 0, 32, Access.RW);
        regs.define("DST", DST).field("DST", 0, 32, Access.RW);
        regs.define("LEN", LEN).field("LEN", 0, 16, Access.RW);
        regs.define("GO", GO).field("GO", 0, 1, Access.WO).onWrite((old, now, written) -> go());
        endpoint.mapBar(0, regs);
        machine.pcieHost().orElseThrow().attach(0, DEVICE, 0, endpoint);
    }

    private void go() {
        byte[] buf = new byte[regs.get("LEN").value()];
        lastResult = endpoint.dma().read(regs.get("SRC").value() & 0xFFFF_FFFFL, buf, 0, buf.length);
        if (lastResult.ok()) {
            lastResult = endpoint.dma().write(regs.get("DST").value() & 0xFFFF_FFFFL, buf, 0, buf.length);
        }
        if (endpoint.msiEnabled()) {
            endpoint.msi(0);
        } else {
            endpoint.intx(true);
        }
    }

    /** ECAM address of register {@code reg} of the endpoint. */
    static long ecam(int reg) {
        return VirtMap.PCIE_ECAM.base() + ((long) DEVICE << 15) + reg;
    }

    long configRead(int reg, int size) {
        return machine.bus().read(ecam(reg), size, Masters.cpu(0));
    }

    void configWrite(int reg, int size, long value) {
        machine.bus().write(ecam(reg), size, value, Masters.cpu(0));
    }

    /** What a driver does before using the engine: BAR0 assigned, memory decoding and bus mastering on. */
    void enable() {
        configWrite(0x10, 4, BAR0);
        configWrite(ConfigSpace.COMMAND, 2, ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER | ConfigSpace.COMMAND_PARITY);
    }

    /** The CPU's view: a copy of {@code len} bytes programmed through BAR0. */
    void copy(long src, long dst, int len) {
        machine.bus().write(BAR0 + SRC, 4, src, Masters.cpu(0));
        machine.bus().write(BAR0 + DST, 4, dst, Masters.cpu(0));
        machine.bus().write(BAR0 + LEN, 4, len, Masters.cpu(0));
        machine.bus().write(BAR0 + GO, 4, 1, Masters.cpu(0));
    }

    // ---- A32 encodings for the guest programs (condition AL) ----

    // LDR <Rt>, [<Rn>, #imm12]
    static int ldr(int rt, int rn, int imm12) {
        return 0xE590_0000 | rn << 16 | rt << 12 | imm12;
    }

    // STR <Rt>, [<Rn>, #imm12]
    static int str(int rt, int rn, int imm12) {
        return 0xE580_0000 | rn << 16 | rt << 12 | imm12;
    }

    // MOVW <Rd>, #imm16
    static int movw(int rd, int imm16) {
        return brassboard.boards.conformance.Asm.movw(rd, imm16);
    }

    // MOVT <Rd>, #imm16
    static int movt(int rd, int imm16) {
        return brassboard.boards.conformance.Asm.movt(rd, imm16);
    }

    // CMP <Rn>, <Rm>
    static int cmp(int rn, int rm) {
        return 0xE150_0000 | rn << 16 | rm;
    }

    // B<c> <label>: from the word at index {@code at} to index {@code to}
    static int branch(int cond, int at, int to) {
        return cond << 28 | 0x0A00_0000 | ((to - at - 2) & 0xFF_FFFF);
    }

    static final int EQ = 0x0;
    static final int NE = 0x1;
    static final int AL = 0xE;

    /** PSCI SYSTEM_OFF through HVC: three words. */
    static final int[] SYSTEM_OFF = {movw(0, 8), movt(0, 0x8400), 0xE140_0070};
}
