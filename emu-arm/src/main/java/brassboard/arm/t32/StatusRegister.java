package brassboard.arm.t32;

/**
 * T32 status register access and exception return (ARM ARM A6.3.4, B9.3: MRS / MSR and their banked
 * forms, CPS, SETEND, SRS, RFE, SUBS PC, LR, #imm8 / ERET): A32's instructions of the same effect,
 * rewritten to them. CPS, SETEND, SRS and RFE are A32's unconditional forms; inside an IT block the
 * interpreter applies the block's condition (their use there is UNPREDICTABLE).
 */
final class StatusRegister {
    private StatusRegister() {
    }

    static Binding bind(String name) {
        switch (name) {
            // MSR<c> <spec_reg>, <Rn>: A32 R(22) mask(19:16) Rn(3:0)
            case "MSR_reg32": return Binding.asA32(w -> 0xE120F000 | (w & 0x100000) << 2 | (w & 0xF00) << 8 | (w >>> 16) & 15);
            case "MSR_banked32": return Binding.asA32(w -> 0xE120F200 | (w & 0x100000) << 2 | (w & 0xF00) << 8
                    | (w & 0x10) << 4 | (w >>> 16) & 15);
            // MRS<c> <Rd>, <spec_reg>: A32 R(22) Rd(15:12)
            case "MRS32": return Binding.asA32(w -> 0xE10F0000 | (w & 0x100000) << 2 | (w & 0xF00) << 4);
            case "MRS_banked32": return Binding.asA32(w -> 0xE1000200 | (w & 0x100000) << 2 | (w & 0xF0000)
                    | (w & 0xF00) << 4 | (w & 0x10) << 4);
            // CPS<effect> <iflags>: im == 1 is CPSID (imod 11), 0 CPSIE (imod 10)
            case "CPS16": return Binding.asA32(h -> 0xF1080000 | (h & 0x10) << 14 | (h & 7) << 6);
            // CPS<effect>.W <iflags>{, #<mode>}: imod(10:9) M(8) A I F(7:5) mode(4:0)
            case "CPS32": return Binding.asA32(w -> 0xF1000000 | (w & 0x600) << 9 | (w & 0x100) << 9 | (w & 0xE0) << 1 | (w & 31));
            case "SETEND16": return Binding.asA32(h -> 0xF1010000 | (h & 8) << 6);
            // SRS{DB|IA} SP{!}, #<mode>; RFE{DB|IA} <Rn>{!}
            case "SRS_db32": return Binding.asA32(w -> 0xF94D0500 | (w & 0x200000) | (w & 31));
            case "SRS_ia32": return Binding.asA32(w -> 0xF8CD0500 | (w & 0x200000) | (w & 31));
            case "RFE_db32": return Binding.asA32(w -> 0xF9100A00 | (w & 0x200000) | (w & 0xF0000));
            case "RFE_ia32": return Binding.asA32(w -> 0xF8900A00 | (w & 0x200000) | (w & 0xF0000));
            // SUBS<c> PC, LR, #<imm8> (ERET when imm8 == 0) = A32 SUBS PC, LR, #<imm8>
            case "SUBS_pc_lr": return Binding.asA32(w -> 0xE25EF000 | (w & 0xFF));
            default: return null;
        }
    }
}
