package brassboard.boards.board;

import brassboard.arm.api.ArmCpu;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MemoryBus;
import java.util.function.IntConsumer;

/**
 * ARM semihosting (ARM "Semihosting for AArch32 and AArch64", version 2): a bare-metal program
 * asks the host for console output and to exit with a status. In A32 state the call is
 * {@code SVC #0x123456} (in Thumb state {@code SVC #0xAB}) with the operation in r0 and its parameter
 * in r1; the result goes in r0.
 *
 * <p>Implemented: SYS_WRITEC, SYS_WRITE0, SYS_EXIT, SYS_EXIT_EXTENDED, SYS_CLOCK, SYS_TIME,
 * SYS_ERRNO. Other operations return -1 and warn once (the program sees a failed call rather
 * than the run dying).
 */
final class Semihosting {
    /** The A32 SVC immediate that marks a semihosting call. */
    static final int SVC_IMMEDIATE = 0x123456;
    /** The T32 SVC immediate that marks a semihosting call. */
    static final int SVC_IMMEDIATE_THUMB = 0xAB;
    static final int SYS_WRITEC = 0x03;
    static final int SYS_WRITE0 = 0x04;
    static final int SYS_CLOCK = 0x10;
    static final int SYS_TIME = 0x11;
    static final int SYS_ERRNO = 0x13;
    static final int SYS_EXIT = 0x18;
    static final int SYS_EXIT_EXTENDED = 0x20;
    /** ADP_Stopped_ApplicationExit: the one reason that means a normal exit. */
    static final int ADP_STOPPED_APPLICATION_EXIT = 0x20026;
    /** Longest string SYS_WRITE0 will print before giving up (a missing NUL). */
    private static final int MAX_STRING = 1 << 20;

    /** What the machine does when the program exits. */
    interface Host {
        void exit(int status, String how);

        long virtualTimeNs();

        long epochSeconds();

        void warnOnce(String key, String message);
    }

    private final MemoryBus bus;
    private final IntConsumer console;
    private final Host host;

    Semihosting(MemoryBus bus, IntConsumer console, Host host) {
        this.bus = bus;
        this.console = console;
        this.host = host;
    }

    /** Handles one call; returns a description for the trace. */
    String call(ArmCpu cpu) {
        int op = cpu.reg(0);
        int arg = cpu.reg(1);
        int master = Masters.cpu(0);
        switch (op) {
            case SYS_WRITEC -> {
                long b = bus.read(arg & 0xFFFF_FFFFL, 1, master);
                if (b != MemoryBus.BUS_ERROR) {
                    console.accept((int) b);
                }
                return "SYS_WRITEC";
            }
            case SYS_WRITE0 -> {
                long a = arg & 0xFFFF_FFFFL;
                for (int i = 0; i < MAX_STRING; i++) {
                    long b = bus.read(a + i, 1, master);
                    if (b == MemoryBus.BUS_ERROR || b == 0) {
                        break;
                    }
                    console.accept((int) b);
                }
                return "SYS_WRITE0";
            }
            case SYS_EXIT -> {
                // AArch32: r1 holds the reason itself (not a parameter block).
                host.exit(arg == ADP_STOPPED_APPLICATION_EXIT ? 0 : 1, String.format("SYS_EXIT reason 0x%x", arg));
                return "SYS_EXIT";
            }
            case SYS_EXIT_EXTENDED -> {
                long block = arg & 0xFFFF_FFFFL;
                long reason = bus.read(block, 4, master);
                long code = bus.read(block + 4, 4, master);
                int status = reason == ADP_STOPPED_APPLICATION_EXIT && code != MemoryBus.BUS_ERROR ? (int) code : 1;
                host.exit(status, String.format("SYS_EXIT_EXTENDED reason 0x%x code %d", reason, (int) code));
                return "SYS_EXIT_EXTENDED";
            }
            case SYS_CLOCK -> {
                cpu.setReg(0, (int) (host.virtualTimeNs() / 10_000_000L));
                return "SYS_CLOCK";
            }
            case SYS_TIME -> {
                cpu.setReg(0, (int) (host.epochSeconds() + host.virtualTimeNs() / 1_000_000_000L));
                return "SYS_TIME";
            }
            case SYS_ERRNO -> {
                cpu.setReg(0, 0);
                return "SYS_ERRNO";
            }
            default -> {
                host.warnOnce("semihosting-" + op, String.format("semihosting operation 0x%02x is not supported; it returns -1", op));
                cpu.setReg(0, -1);
                return String.format("unsupported operation 0x%02x", op);
            }
        }
    }
}
