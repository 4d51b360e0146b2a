package brassboard.firmware.api;

/**
 * One named address of a firmware image.
 *
 * @param name    the symbol's name
 * @param address its value (for a function: the entry point, Thumb bit cleared)
 * @param size    its size in bytes, 0 when unknown (a label, or a {@code System.map} entry)
 * @param kind    what it names
 */
public record Symbol(String name, long address, long size, Kind kind) {
    /** What a symbol names. */
    public enum Kind {
        /** Code: an ELF {@code STT_FUNC}, or a {@code t}/{@code T}/{@code w}/{@code W} entry of a {@code System.map}. */
        FUNCTION,
        /** Data: an ELF {@code STT_OBJECT}, or a data type letter ({@code d}, {@code b}, {@code r}, ...) of a {@code System.map}. */
        OBJECT,
        /** A global label without a type (ELF {@code STT_NOTYPE}), or another {@code System.map} type. */
        LABEL
    }
}
