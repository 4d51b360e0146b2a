package brassboard.arm.t32;

import brassboard.arm.core.ArmCore;

/**
 * T32 If-Then and hints (ARM ARM A6.2.5, A8.8.55 IT), the 32-bit hints and barriers (A6.3.4) and the
 * preload hints (A6.3.8, A6.3.9). IT writes ITSTATE; the interpreter applies and advances it. The
 * hints and barriers are A32's, rewritten to them; PLD / PLDW / PLI never fault and do nothing here.
 */
final class HintsBarriers {
    private final ArmCore core;

    HintsBarriers(ArmCore core) {
        this.core = core;
    }

    Binding bind(String name) {
        switch (name) {
            case "IT": return Binding.execute(this::it);
            case "NOP16":
            case "YIELD16":
            case "WFE16":
            case "WFI16":
            case "SEV16":
            case "HINT16_other": return Binding.asA32(h -> 0xE320F000 | (h >>> 4) & 15);
            case "NOP32":
            case "YIELD32":
            case "WFE32":
            case "WFI32":
            case "SEV32":
            case "DBG32":
            case "HINT32_other": return Binding.asA32(w -> 0xE320F000 | (w & 0xFF));
            case "DSB32": return Binding.asA32(w -> 0xF57FF040 | (w & 15));
            case "DMB32": return Binding.asA32(w -> 0xF57FF050 | (w & 15));
            case "ISB32": return Binding.asA32(w -> 0xF57FF060 | (w & 15));
            case "PLD_imm12":
            case "PLD_imm8":
            case "PLD_reg":
            case "PLD_lit":
            case "PLDW_imm12":
            case "PLDW_imm8":
            case "PLDW_reg":
            case "PLD_litw":
            case "PLI_imm12":
            case "PLI_imm8":
            case "PLI_reg":
            case "PLI_lit": return Binding.execute(HintsBarriers::preload);
            default: return null;
        }
    }

    // IT{<x>{<y>{<z>}}} <firstcond>   (ITSTATE = firstcond:mask)
    private void it(int h) {
        core.setItState(h & 0xFF);
        core.itStateWritten = true; // inside an IT block (UNPREDICTABLE) the new block starts, as in QEMU
    }

    // PLD / PLDW / PLI: a hint this core does not act on
    private static void preload(int w) {
    }
}
