package brassboard.arm.disasm;

/** Renders one instruction of a known encoding as objdump's text (mnemonic, TAB, operands, comments). */
@FunctionalInterface
interface Formatter {
    String format(int word, int address);
}
