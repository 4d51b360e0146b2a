package brassboard.arm.t32;

/**
 * The T32 coprocessor and Advanced SIMD space (ARM ARM A6.3.18, A7.1): each instruction is an A32
 * instruction with its first bits moved, and runs on the A32 handler of that word, so coprocessor,
 * VFP and Advanced SIMD handlers written for A32 work in Thumb state. Coprocessor instructions take
 * condition 1110 (AL; the IT condition applies) or 1111 for the forms with hw1 bit 12 set (MCR2 and
 * friends); T32 {@code 111U 1111} data processing is A32 {@code 1111 001U}, T32 {@code 1111 1001 xxx0}
 * element and structure load / store is A32 {@code 1111 0100 xxx0}. r15 reads as Align(PC, 4), which
 * is what the only PC-reading instruction here (VLDR literal) wants.
 */
final class Coprocessor {
    private Coprocessor() {
    }

    static Binding bind(String name) {
        switch (name) {
            case "COPROC_ldst":
            case "COPROC2_ldst":
            case "COPROC_reg":
            case "COPROC2_reg": return Binding.asA32AlignedPc(w -> ((w & 0x10000000) != 0 ? 0xF0000000 : 0xE0000000) | (w & 0x0FFFFFFF));
            case "SIMD_dp":
            case "SIMD_dp_u": return Binding.asA32AlignedPc(w -> 0xF2000000 | (w & 0x10000000) >>> 4 | (w & 0x00FFFFFF));
            case "SIMD_ldst": return Binding.asA32AlignedPc(w -> 0xF4000000 | (w & 0x00FFFFFF));
            default: return null;
        }
    }
}
