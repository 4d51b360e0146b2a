package brassboard.arm.t32;

import brassboard.arm.core.UnpredictablePolicy;
import java.util.function.IntPredicate;

/**
 * T32 load / store multiple (ARM ARM A6.2.5 PUSH / POP, A8.8.57 LDM, A8.8.199 STM, A6.3.5): A32's
 * LDM / STM / LDMDB / STMDB with the same register list, rewritten to them. A load of the PC
 * interworks (LoadWritePC) in both instruction sets.
 */
final class LoadStoreMultiple {
    private static final UnpredictablePolicy.Case LIST = UnpredictablePolicy.Case.T32_REGISTER_LIST;
    /** LDM.W / LDMDB: fewer than two registers (A8.8.57 T2: BitCount(registers) < 2 is UNPREDICTABLE). */
    private static final IntPredicate LOAD = w -> Integer.bitCount(w & 0xFFFF) < 2;
    /** STM.W / STMDB: fewer than two registers, or writeback with Rn in the list. */
    private static final IntPredicate STORE = w -> Integer.bitCount(w & 0x7FFF) < 2
            || (w & (1 << 21)) != 0 && (w & (1 << ((w >>> 16) & 15))) != 0;

    private LoadStoreMultiple() {
    }

    static Binding bind(String name) {
        switch (name) {
            // PUSH <registers>   = STMDB SP!, {<registers>} (M: LR)
            case "PUSH16": return Binding.asA32(h -> 0xE92D0000 | (h & 0x100) << 6 | (h & 0xFF));
            // POP <registers>    = LDM SP!, {<registers>} (P: PC)
            case "POP16": return Binding.asA32(h -> 0xE8BD0000 | (h & 0x100) << 7 | (h & 0xFF));
            // STM <Rn>!, <registers>
            case "STM16": return Binding.asA32(h -> 0xE8A00000 | ((h >>> 8) & 7) << 16 | (h & 0xFF));
            // LDM <Rn>!, <registers>  (no writeback when Rn is in the list)
            case "LDM16": return Binding.asA32(h -> {
                int n = (h >>> 8) & 7;
                return 0xE8900000 | ((h & (1 << n)) == 0 ? 1 << 21 : 0) | n << 16 | (h & 0xFF);
            });
            case "STM32": return Binding.asA32(w -> 0xE8800000 | (w & 0x2F0000) | (w & 0x7FFF)).unpredictableWhen(LIST, STORE);
            case "LDM32": return Binding.asA32(w -> 0xE8900000 | (w & 0x2F0000) | (w & 0xFFFF)).unpredictableWhen(LIST, LOAD);
            case "STMDB32": return Binding.asA32(w -> 0xE9000000 | (w & 0x2F0000) | (w & 0x7FFF)).unpredictableWhen(LIST, STORE);
            case "LDMDB32": return Binding.asA32(w -> 0xE9100000 | (w & 0x2F0000) | (w & 0xFFFF)).unpredictableWhen(LIST, LOAD);
            default: return null;
        }
    }
}
