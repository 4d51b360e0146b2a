package brassboard.arm.t32;

import brassboard.arm.a32.A32Handler;
import brassboard.arm.core.UnpredictablePolicy;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * How one T32 encoding executes. Where an A32 instruction does exactly what the T32 one does (same
 * operands, same flags, same PC writes once r15 reads as the Thumb PC), the T32 instruction is
 * rewritten once, when it is decoded, into that A32 word (condition AL; the IT condition is checked
 * by the interpreter) and runs on the A32 handler: no work per execution, and one implementation of
 * each operation. The rest — ThumbExpandImm operands, Thumb branches, the IT instruction, literal
 * loads from Align(PC, 4), the T32 addressing forms A32 lacks — have T32 handlers of their own.
 *
 * @param kind    which of the three
 * @param handler the T32 handler ({@link Kind#NATIVE})
 * @param toA32   the rewrite into an A32 word (the other kinds)
 * @param unpredictable for a rewrite: the UNPREDICTABLE case of T32 instructions {@link #when} holds for
 *                (checked when decoded, the policy consulted at every execution), or {@code null}
 * @param when    which instructions are that case
 */
record Binding(Kind kind, A32Handler handler, IntUnaryOperator toA32, UnpredictablePolicy.Case unpredictable,
               IntPredicate when) {
    enum Kind {
        /** A T32 handler, given the T32 instruction (a halfword, or hw1:hw2). */
        NATIVE,
        /** The A32 handler of the rewritten word. */
        A32,
        /**
         * As {@link #A32}, for a 16-bit instruction that sets the flags only outside an IT block
         * (setflags = !InITBlock()): the rewritten word has S (bit 20) set, cleared inside a block.
         */
        A32_FLAGS_OUTSIDE_IT,
        /** As {@link #A32}, with r15 reading as Align(PC, 4) (coprocessor and Advanced SIMD space: VLDR literal). */
        A32_ALIGNED_PC
    }

    static Binding execute(A32Handler handler) {
        return new Binding(Kind.NATIVE, handler, null, null, null);
    }

    static Binding asA32(IntUnaryOperator toA32) {
        return new Binding(Kind.A32, null, toA32, null, null);
    }

    static Binding asA32FlagsOutsideIt(IntUnaryOperator toA32) {
        return new Binding(Kind.A32_FLAGS_OUTSIDE_IT, null, toA32, null, null);
    }

    static Binding asA32AlignedPc(IntUnaryOperator toA32) {
        return new Binding(Kind.A32_ALIGNED_PC, null, toA32, null, null);
    }

    /** This rewrite, with the T32 instructions {@code when} accepts going through the policy as case {@code c}. */
    Binding unpredictableWhen(UnpredictablePolicy.Case c, IntPredicate when) {
        return new Binding(kind, handler, toA32, c, when);
    }
}
