package brassboard.arm.t32;

import brassboard.arm.core.ArmCore;

/**
 * T32 exception-generating instructions (ARM ARM A6.2.6 SVC / UDF, A6.2.5 BKPT, A6.3.4 HVC / SMC /
 * UDF): A32's SVC, BKPT, HVC and SMC with the immediate moved, rewritten to them (the board's
 * callbacks see them as from A32); UDF is UNDEFINED.
 */
final class ExceptionGenerating {
    private final ArmCore core;

    ExceptionGenerating(ArmCore core) {
        this.core = core;
    }

    Binding bind(String name) {
        switch (name) {
            case "SVC16": return Binding.asA32(h -> 0xEF000000 | (h & 0xFF));
            case "BKPT16": return Binding.asA32(h -> 0xE1200070 | (h & 0xF0) << 4 | (h & 15));
            case "HVC32": return Binding.asA32(w -> {
                int imm16 = (w >>> 4) & 0xF000 | (w & 0xFFF);
                return 0xE1400070 | (imm16 >>> 4) << 8 | (imm16 & 15);
            });
            case "SMC32": return Binding.asA32(w -> 0xE1600070 | (w >>> 16) & 15);
            case "UDF16":
            case "UDF32": return Binding.execute(w -> core.policy.undefined());
            default: return null;
        }
    }
}
