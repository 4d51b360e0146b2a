package brassboard.arm.disasm;

import brassboard.arm.a32.A32Decoder;
import brassboard.arm.a32.Encoding;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Disassembles A32 words to the ARM ARM's unified assembler syntax, exactly as
 * {@code arm-none-eabi-objdump -D -b binary -m arm} prints them (without symbols).
 *
 * <p>The word is decoded with {@link A32Decoder}; the encoding's name selects a {@link Formatter}
 * from the per-class syntax tables ({@code DataProcessingSyntax}, {@code LoadStoreSyntax}, ...).
 */
public final class A32Disassembler {
    private static final Map<String, Formatter> BY_NAME = new HashMap<>();
    private static final Formatter[] BY_INDEX;

    static {
        DataProcessingSyntax.register(BY_NAME);
        MultiplySyntax.register(BY_NAME);
        StatusRegisterSyntax.register(BY_NAME);
        BranchSyntax.register(BY_NAME);
        ExceptionSyntax.register(BY_NAME);
        HintSyntax.register(BY_NAME);
        LoadStoreSyntax.register(BY_NAME);
        SynchronizationSyntax.register(BY_NAME);
        MediaSyntax.register(BY_NAME);
        LoadStoreMultipleSyntax.register(BY_NAME);
        CoprocessorSyntax.register(BY_NAME);
        VfpSyntax.register(BY_NAME);
        NeonSyntax.register(BY_NAME);
        Encoding[] encodings = A32Decoder.encodings();
        BY_INDEX = new Formatter[encodings.length];
        for (int i = 0; i < encodings.length; i++) {
            BY_INDEX[i] = BY_NAME.getOrDefault(encodings[i].name(), (w, a) -> Syntax.undefined(w));
        }
    }

    private A32Disassembler() {
    }

    /**
     * The text objdump prints after the instruction word (after {@code "<word> \t"}): the mnemonic, a TAB,
     * the operands and objdump's {@code @} comments, with objdump's own TABs. Branch targets and PC-relative
     * literal addresses are absolute ({@code b\t0x40000010}), as objdump prints them without symbols.
     *
     * @param word    the instruction word
     * @param address the instruction's address
     */
    public static String disassemble(int word, int address) {
        int index = A32Decoder.decode(word);
        return index == A32Decoder.UNDEFINED ? Syntax.undefined(word) : BY_INDEX[index].format(word, address);
    }

    /** The encodings of the decoder's table that have no formatter (a test keeps this empty). */
    public static Set<String> uncoveredEncodings() {
        Set<String> missing = new TreeSet<>();
        for (Encoding e : A32Decoder.encodings()) {
            if (!BY_NAME.containsKey(e.name())) {
                missing.add(e.name());
            }
        }
        return missing;
    }
}
