package brassboard.arm.core;

/** Processor modes (CPSR.M, ARM ARM B1.3.1) and the register bank each one uses. */
public final class Modes {
    public static final int USR = 0x10;
    public static final int FIQ = 0x11;
    public static final int IRQ = 0x12;
    public static final int SVC = 0x13;
    public static final int MON = 0x16;
    public static final int ABT = 0x17;
    public static final int HYP = 0x1A;
    public static final int UND = 0x1B;
    public static final int SYS = 0x1F;

    /** Bank indexes for SP, LR and SPSR. User and System share bank 0 (and have no SPSR). */
    static final int BANK_USR = 0;
    static final int BANK_FIQ = 1;
    static final int BANK_IRQ = 2;
    static final int BANK_SVC = 3;
    static final int BANK_ABT = 4;
    static final int BANK_UND = 5;
    static final int BANK_HYP = 6;
    static final int BANK_MON = 7;
    static final int BANK_COUNT = 8;

    private Modes() {
    }

    /**
     * Whether {@code mode} is implemented by this core. This core has neither the Security nor the
     * Virtualization Extensions enabled (as QEMU's {@code virt} board by default), so Monitor and Hyp
     * modes, like the reserved encodings, are not valid targets of a mode change.
     */
    public static boolean isImplemented(int mode) {
        switch (mode) {
            case USR: case FIQ: case IRQ: case SVC: case ABT: case UND: case SYS:
                return true;
            default:
                return false;
        }
    }

    static int bank(int mode) {
        switch (mode) {
            case FIQ: return BANK_FIQ;
            case IRQ: return BANK_IRQ;
            case SVC: return BANK_SVC;
            case ABT: return BANK_ABT;
            case UND: return BANK_UND;
            case HYP: return BANK_HYP;
            case MON: return BANK_MON;
            default: return BANK_USR;
        }
    }

    /** The ARM ARM's short name for a mode ({@code svc}, {@code irq}, ...). */
    public static String name(int mode) {
        switch (mode) {
            case USR: return "usr";
            case FIQ: return "fiq";
            case IRQ: return "irq";
            case SVC: return "svc";
            case MON: return "mon";
            case ABT: return "abt";
            case HYP: return "hyp";
            case UND: return "und";
            case SYS: return "sys";
            default: return String.format("mode%02x", mode);
        }
    }
}
