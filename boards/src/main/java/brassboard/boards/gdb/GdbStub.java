package brassboard.boards.gdb;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuObserver;
import brassboard.boards.api.Machine;
import brassboard.boards.api.RunResult;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.CodeSource;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The machine side of the GDB remote protocol: one GDB thread per core (thread id = core + 1),
 * registers as {@link TargetDescription} numbers them, memory through the selected core's view,
 * breakpoints, watchpoints, stepping, continue, interrupt, detach and kill.
 *
 * <p><b>Stopping.</b> GDB holds the machine by holding the simulation thread: a breakpoint or the end
 * of a step stops inside the core's PC hook ({@link CpuObserver#onPcHook}), before the instruction
 * there runs; an interrupt (Ctrl-C) or a new client stops at the next round of quanta
 * ({@link Machine.Watch}). Either way every core is between instructions and the thread serves GDB's
 * packets until one resumes the machine. Nothing in the simulation moves meanwhile, virtual time
 * included, and nothing in the machine's state tells a held run from one that never stopped: a run
 * whose stops GDB only looks at (breakpoints hit and continued, single steps) is the same run as
 * without GDB.
 *
 * <p><b>Cost.</b> Breakpoints are the core's PC hooks: translated blocks end before a hooked address,
 * and no hook costs nothing. A single step, and any watchpoint, turn on the cores'
 * {@link ArmCpu#setHookEveryInstruction}: one instruction at a time, interpreted, until it is done.
 * Watchpoints watch the bus accesses each core makes ({@link AddressSpace#watchAccesses}) at the
 * physical address GDB's virtual one had when the watchpoint was set; the stop comes right after the
 * accessing instruction, as QEMU's does.
 */
public final class GdbStub implements Machine.Watch {
    /** Sentinels {@link #handle} returns for packets that end the hold instead of a reply. */
    private static final String RESUME = new String("resume");
    private static final String DETACH = new String("detach");
    private static final String KILL = new String("kill");
    /** {@code vKill}: as {@code k}, with an {@code OK} first. */
    private static final String KILL_OK = new String("kill, OK");
    private static final String[] WATCH_KINDS = {null, null, "watch", "rwatch", "awatch"};

    private final Machine machine;
    private final GdbServer server;
    private final List<ArmCpu> cpus;
    private final AddressSpace bus;
    private final Consumer<String> log;
    private final int n;

    /** Software (Z0) and hardware (Z1) breakpoint addresses; {@link #breakTable} is their union, sorted. */
    private final TreeSet<Integer> softBreaks = new TreeSet<>();
    private final TreeSet<Integer> hardBreaks = new TreeSet<>();
    private int[] breakTable = new int[0];
    /** PC hooks this stub added (an address hooked by someone else before stays theirs). */
    private final TreeSet<Integer> ownHooks = new TreeSet<>();

    /** A watchpoint: GDB's type (2 write, 3 read, 4 access), its virtual address, the physical one, the length. */
    record Watchpoint(int type, long va, long pa, int length) {
    }

    private Watchpoint[] watchpoints = new Watchpoint[0];
    private AutoCloseable busWatch;
    /** Per core: the watchpoint its last access hit (reported at its next instruction), and the address hit. */
    private final Watchpoint[] watchHit;
    private final long[] watchHitAt;

    /** Per core: stepping one instruction; where it resumed (its retired count and PC), where no stop is taken. */
    private final boolean[] stepping;
    private final long[] resumeRetired;
    private final int[] resumePc;

    /** Threads selected by {@code Hg} (registers, memory) and {@code Hc} (old-style step), as core numbers. */
    private int gCore;
    private int cCore = -1;
    /** Whether GDB waits for a stop reply (it resumed the machine). */
    private boolean resumePending;
    private boolean attached;
    private String lastStop = "S05";
    private final ArrayDeque<GdbServer.Event> backlog = new ArrayDeque<>();
    /** Monitor output of the packet being handled, sent as {@code O} packets before its reply. */
    private final StringBuilder consoleOut = new StringBuilder();
    private boolean switchToNoAck;

    private GdbStub(Machine machine, GdbServer server, Consumer<String> log) {
        this.machine = machine;
        this.server = server;
        this.cpus = machine.cpus();
        this.bus = machine.bus();
        this.log = log;
        this.n = cpus.size();
        this.watchHit = new Watchpoint[n];
        this.watchHitAt = new long[n];
        this.stepping = new boolean[n];
        this.resumeRetired = new long[n];
        this.resumePc = new int[n];
        Arrays.fill(resumeRetired, -1);
    }

    /**
     * Attaches a stub serving {@code server}'s clients to {@code machine} (before its run): an observer
     * on every core, a watch on the run loop; polling loops are not fast-forwarded while breakpoints or
     * watchpoints are set (so that every pass reaches them). Without a client it costs one volatile read
     * per round of quanta.
     */
    public static GdbStub attach(Machine machine, GdbServer server, Consumer<String> log) {
        GdbStub stub = new GdbStub(machine, server, log);
        for (int i = 0; i < stub.n; i++) {
            ArmCpu cpu = stub.cpus.get(i);
            cpu.setObserver(CpuObserver.both(cpu.observer(), stub.new CoreHook(i)));
        }
        machine.addWatch(stub);
        machine.setPollWarpGate(stub::mayFastForward);
        return stub;
    }

    /** Whether polling loops may be fast-forwarded: not past breakpoints, watchpoints or a step. */
    private boolean mayFastForward() {
        if (breakTable.length > 0 || watchpoints.length > 0) {
            return false;
        }
        for (boolean s : stepping) {
            if (s) {
                return false;
            }
        }
        return true;
    }

    /** Waits for a client to connect, then holds the machine (stopped at its reset state) until GDB resumes it. */
    public void waitForClient() throws InterruptedException {
        while (!attached) {
            GdbServer.Event e = server.poll(1_000);
            if (e != null && e.kind() == GdbServer.Event.Kind.CONNECTED) {
                attached = true;
            } else if (e != null && e.kind() == GdbServer.Event.Kind.PACKET) {
                backlog.add(e);
            }
        }
        hold(0, stopReply(0, 5, ""));
    }

    /** The run ended: tells a GDB waiting for a stop that the program exited with the run's status, and hangs up. */
    public void machineEnded(RunResult result) {
        if (attached && resumePending) {
            server.send(String.format("W%02x", result.exitCode() & 0xFF));
        }
        server.disconnect();
    }

    // ---------------------------------------------------------------- stops

    /** On every core: a breakpoint, the end of a step, a watched access, or an interrupt stops here. */
    private final class CoreHook implements CpuObserver {
        private final int core;

        CoreHook(int core) {
            this.core = core;
        }

        @Override
        public void onPcHook(int pc) {
            boolean news = server.attention();
            boolean breakpoint = Arrays.binarySearch(breakTable, pc) >= 0;
            if (!stepping[core] && watchHit[core] == null && !news && !breakpoint) {
                return;
            }
            ArmCpu cpu = cpus.get(core);
            if (cpu.instructionsRetired() == resumeRetired[core] && pc == resumePc[core]) {
                return; // where it resumed from: the instruction runs first
            }
            String reply;
            if (watchHit[core] != null) {
                Watchpoint w = watchHit[core];
                reply = stopReply(core, 5, WATCH_KINDS[w.type()] + ":" + Long.toHexString(watchHitAt[core]) + ";");
            } else if (stepping[core]) {
                reply = stopReply(core, 5, "");
            } else if (breakpoint) {
                reply = stopReply(core, 5, softBreaks.contains(pc) ? "swbreak:;" : "hwbreak:;");
            } else {
                reply = serviceWhileRunning(core);
                if (reply == null) {
                    return;
                }
            }
            hold(core, reply);
        }
    }

    @Override
    public void check(long now) {
        if (server.attention()) {
            String reply = serviceWhileRunning(gCore);
            if (reply != null) {
                hold(gCore, reply);
            }
        }
    }

    /** Looks at what the client did while the machine ran; the stop reply to hold with, or {@code null} to run on. */
    private String serviceWhileRunning(int core) {
        String stop = null;
        GdbServer.Event e;
        try {
            while ((e = server.poll(0)) != null) {
                switch (e.kind()) {
                    case CONNECTED -> {
                        attached = true;
                        resumePending = false;
                        stop = stopReply(core, 5, "");
                    }
                    case INTERRUPT -> {
                        if (attached) {
                            stop = stopReply(core, 2, "");
                        }
                    }
                    case DISCONNECTED -> {
                        forget();
                        stop = null;
                    }
                    case PACKET -> {
                        backlog.add(e); // answered at the next stop
                    }
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return stop;
    }

    private String stopReply(int core, int signal, String reason) {
        return String.format("T%02x%sthread:%x;", signal, reason, core + 1);
    }

    /** Serves GDB's packets with the machine held, until one resumes it (or detaches, kills, hangs up). */
    private void hold(int core, String reply) {
        gCore = core;
        lastStop = reply;
        if (resumePending) {
            server.send(reply);
            resumePending = false;
        }
        while (true) {
            GdbServer.Event e = backlog.poll();
            if (e == null) {
                try {
                    e = server.poll(1_000);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    forget();
                    return;
                }
                if (e == null) {
                    continue;
                }
            }
            switch (e.kind()) {
                case CONNECTED -> attached = true;
                case INTERRUPT -> {
                    // already stopped
                }
                case DISCONNECTED -> {
                    forget();
                    return;
                }
                case PACKET -> {
                    String r = handleSafely(e.payload());
                    if (consoleOut.length() > 0) {
                        server.send("O" + RspCodec.hex(consoleOut.toString().getBytes(StandardCharsets.UTF_8)));
                        consoleOut.setLength(0);
                    }
                    if (r == RESUME) {
                        resumePending = true;
                        return;
                    }
                    if (r == DETACH) {
                        server.send("OK");
                        forget();
                        server.disconnect();
                        return;
                    }
                    if (r == KILL || r == KILL_OK) {
                        if (r == KILL_OK) {
                            server.send("OK");
                        }
                        forget();
                        machine.requestStop("killed by GDB");
                        server.disconnect();
                        return;
                    }
                    if (switchToNoAck) {
                        // before the OK goes out: a client that has it may send its next packet at once,
                        // and the server's reader would acknowledge that one if the mode changed only after
                        // (the QStartNoAckMode packet itself was acknowledged when it came)
                        switchToNoAck = false;
                        server.noAckMode();
                    }
                    if (r != null) {
                        server.send(r);
                    }
                }
            }
        }
    }

    /** The client is gone (detach, kill, hang-up): breakpoints and watchpoints go, the machine runs free. */
    private void forget() {
        attached = false;
        resumePending = false;
        softBreaks.clear();
        hardBreaks.clear();
        updateBreakpoints();
        watchpoints = new Watchpoint[0];
        updateWatching();
        Arrays.fill(stepping, false);
        prepareResume();
    }

    /** Makes the cores resume: records where each resumes, and who hooks every instruction. */
    private void prepareResume() {
        for (int i = 0; i < n; i++) {
            ArmCpu cpu = cpus.get(i);
            resumeRetired[i] = cpu.instructionsRetired();
            resumePc[i] = cpu.pc();
            watchHit[i] = null;
            cpu.setHookEveryInstruction(stepping[i] || watchpoints.length > 0);
            for (int a : breakTable) {
                cpu.addPcHook(a); // again: another observer may have dropped one of ours
            }
        }
    }

    // ---------------------------------------------------------------- packets

    /** {@link #handle}, with anything unexpected turned into an error reply: a packet never ends the run. */
    String handleSafely(String p) {
        try {
            return handle(p);
        } catch (RuntimeException e) {
            log.accept("gdb: packet '" + abbreviate(p) + "' failed: " + e);
            return "E01";
        }
    }

    private static String abbreviate(String p) {
        return p.length() > 40 ? p.substring(0, 40) + "..." : p;
    }

    /** The reply to packet {@code p} (empty: not supported), or a sentinel for one that resumes, detaches or kills. */
    String handle(String p) {
        if (p.isEmpty()) {
            return "";
        }
        char c = p.charAt(0);
        String a = p.substring(1);
        switch (c) {
            case '?':
                return lastStop;
            case 'g':
                return readAllRegisters();
            case 'G':
                return writeAllRegisters(a);
            case 'p':
                return readRegister(a);
            case 'P':
                return writeRegister(a);
            case 'm':
                return readMemory(a);
            case 'M':
                return writeMemory(a, false);
            case 'X':
                return writeMemory(a, true);
            case 'Z':
            case 'z':
                return breakOrWatch(c == 'Z', a);
            case 'c':
            case 's':
                return resumeOld(c == 's', a);
            case 'C':
            case 'S': {
                int semi = a.indexOf(';');
                return resumeOld(c == 'S', semi < 0 ? "" : a.substring(semi + 1));
            }
            case 'H':
                return selectThread(a);
            case 'T': {
                int t = (int) RspCodec.number(a);
                return t >= 1 && t <= n ? "OK" : "E01";
            }
            case 'D':
                return DETACH;
            case 'k':
                return KILL;
            case 'q':
                return query(p);
            case 'Q':
                if (p.equals("QStartNoAckMode")) {
                    switchToNoAck = true;
                    return "OK";
                }
                return "";
            case 'v':
                return vPacket(p);
            default:
                return "";
        }
    }

    private String query(String p) {
        if (p.startsWith("qSupported")) {
            return "PacketSize=" + Integer.toHexString(RspCodec.Decoder.MAX_PACKET)
                    + ";qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+";
        }
        if (p.startsWith("qXfer:features:read:")) {
            String[] f = p.substring("qXfer:features:read:".length()).split(":");
            if (f.length != 2 || !f[0].equals("target.xml")) {
                return "E00";
            }
            String[] range = f[1].split(",");
            long off = range.length == 2 ? RspCodec.number(range[0]) : -1;
            long len = range.length == 2 ? RspCodec.number(range[1]) : -1;
            if (off < 0 || len < 0) {
                return "E01";
            }
            String xml = TargetDescription.XML;
            if (off >= xml.length()) {
                return "l";
            }
            int end = (int) Math.min(xml.length(), off + len);
            return (end == xml.length() ? "l" : "m") + xml.substring((int) off, end);
        }
        switch (p) {
            case "qAttached":
                return "1";
            case "qC":
                return "QC" + Integer.toHexString(gCore + 1);
            case "qfThreadInfo": {
                StringBuilder sb = new StringBuilder("m");
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append(Integer.toHexString(i + 1));
                }
                return sb.toString();
            }
            case "qsThreadInfo":
                return "l";
            case "qSymbol::":
                return "OK";
            default:
                break;
        }
        if (p.startsWith("qThreadExtraInfo,")) {
            int t = (int) RspCodec.number(p.substring("qThreadExtraInfo,".length()));
            if (t < 1 || t > n) {
                return "E01";
            }
            ArmCpu cpu = cpus.get(t - 1);
            String s = "cpu" + (t - 1) + (machine.isPowered(t - 1) ? " " + cpu.modeName() + (cpu.isWaitingForInterrupt() ? " waiting" : "")
                    : " powered off");
            return RspCodec.hex(s.getBytes(StandardCharsets.US_ASCII));
        }
        if (p.startsWith("qRcmd,")) {
            byte[] cmd = RspCodec.unhex(p.substring("qRcmd,".length()));
            if (cmd == null) {
                return "E01";
            }
            return monitor(new String(cmd, StandardCharsets.UTF_8).strip());
        }
        return "";
    }

    private String vPacket(String p) {
        if (p.equals("vCont?")) {
            return "vCont;c;C;s;S;t";
        }
        if (p.startsWith("vCont;")) {
            return vCont(p.substring("vCont;".length()));
        }
        if (p.startsWith("vKill")) {
            return KILL_OK;
        }
        return ""; // vMustReplyEmpty and whatever this stub does not do
    }

    /** {@code vCont;ACTION[:TID];...}: the first action naming a core (or none) applies to it. */
    private String vCont(String actions) {
        char[] action = new char[n];
        for (String part : actions.split(";")) {
            if (part.isEmpty()) {
                return "E01";
            }
            char kind = part.charAt(0);
            if ("cCsSt".indexOf(kind) < 0) {
                return "E01";
            }
            int colon = part.indexOf(':');
            if (kind == 'C' || kind == 'S') {
                String sig = colon < 0 ? part.substring(1) : part.substring(1, colon);
                if (RspCodec.number(sig) < 0) {
                    return "E01";
                }
            }
            int first = 0;
            int last = n - 1;
            if (colon >= 0) {
                String tid = part.substring(colon + 1);
                if (!tid.equals("-1")) {
                    long t = RspCodec.number(tid);
                    if (t < 1 || t > n) {
                        return "E01";
                    }
                    first = last = (int) t - 1;
                }
            }
            for (int i = first; i <= last; i++) {
                if (action[i] == 0) {
                    action[i] = Character.toLowerCase(kind);
                }
            }
        }
        boolean any = false;
        for (int i = 0; i < n; i++) {
            stepping[i] = action[i] == 's';
            any |= action[i] == 's' || action[i] == 'c';
        }
        if (!any) {
            return "OK"; // every thread told to stay stopped: they are
        }
        prepareResume();
        return RESUME;
    }

    /** {@code c [addr]}, {@code s [addr]}: the Hc thread (or the stopped one) steps; every core runs. */
    private String resumeOld(boolean step, String addr) {
        int core = cCore >= 0 ? cCore : gCore;
        if (!addr.isEmpty()) {
            long a = RspCodec.number(addr);
            if (a < 0 || a > 0xFFFF_FFFFL) {
                return "E01";
            }
            cpus.get(core).setReg(15, (int) a);
        }
        Arrays.fill(stepping, false);
        stepping[core] = step;
        prepareResume();
        return RESUME;
    }

    private String selectThread(String a) {
        if (a.isEmpty() || (a.charAt(0) != 'g' && a.charAt(0) != 'c')) {
            return "E01";
        }
        String tid = a.substring(1);
        int core;
        if (tid.equals("-1") || tid.equals("0")) {
            core = -1;
        } else {
            long t = RspCodec.number(tid);
            if (t < 1 || t > n) {
                return "E01";
            }
            core = (int) t - 1;
        }
        if (a.charAt(0) == 'g') {
            if (core >= 0) {
                gCore = core;
            }
        } else {
            cCore = core;
        }
        return "OK";
    }

    // ---------------------------------------------------------------- registers

    private long register(ArmCpu cpu, int r) {
        if (r < 15) {
            return cpu.reg(r) & 0xFFFF_FFFFL;
        }
        if (r == 15) {
            return cpu.pc() & 0xFFFF_FFFFL;
        }
        if (r == TargetDescription.CPSR) {
            return cpu.cpsr() & 0xFFFF_FFFFL;
        }
        if (r == TargetDescription.FPSCR) {
            return cpu.vfp().fpscr & 0xFFFF_FFFFL;
        }
        return cpu.vfp().d[r - TargetDescription.D0];
    }

    private void setRegister(ArmCpu cpu, int r, long v) {
        if (r <= 15) {
            cpu.setReg(r, (int) v);
        } else if (r == TargetDescription.CPSR) {
            cpu.setCpsr((int) v);
        } else if (r == TargetDescription.FPSCR) {
            cpu.vfp().fpscr = (int) v;
        } else {
            cpu.vfp().d[r - TargetDescription.D0] = v;
        }
    }

    private String readAllRegisters() {
        ArmCpu cpu = cpus.get(gCore);
        StringBuilder sb = new StringBuilder();
        for (int r : TargetDescription.G_ORDER) {
            sb.append(RspCodec.hexLe(register(cpu, r), TargetDescription.size(r)));
        }
        return sb.toString();
    }

    private String writeAllRegisters(String hex) {
        int expected = 0;
        for (int r : TargetDescription.G_ORDER) {
            expected += 2 * TargetDescription.size(r);
        }
        if (hex.length() != expected) {
            return "E01";
        }
        long[] values = new long[TargetDescription.G_ORDER.length];
        int at = 0;
        for (int k = 0; k < values.length; k++) {
            int size = TargetDescription.size(TargetDescription.G_ORDER[k]);
            Long v = RspCodec.unhexLe(hex.substring(at, at + 2 * size), size);
            if (v == null) {
                return "E01";
            }
            values[k] = v;
            at += 2 * size;
        }
        ArmCpu cpu = cpus.get(gCore);
        // CPSR first: a mode change switches banks, and the registers given are the new mode's.
        setRegister(cpu, TargetDescription.CPSR, values[16]);
        for (int k = 0; k < values.length; k++) {
            if (k != 16) {
                setRegister(cpu, TargetDescription.G_ORDER[k], values[k]);
            }
        }
        return "OK";
    }

    private String readRegister(String a) {
        long r = RspCodec.number(a);
        int size = r < 0 || r > 0xFF ? 0 : TargetDescription.size((int) r);
        if (size == 0) {
            return "E01";
        }
        return RspCodec.hexLe(register(cpus.get(gCore), (int) r), size);
    }

    private String writeRegister(String a) {
        int eq = a.indexOf('=');
        long r = eq < 0 ? -1 : RspCodec.number(a.substring(0, eq));
        int size = r < 0 || r > 0xFF ? 0 : TargetDescription.size((int) r);
        if (size == 0) {
            return "E01";
        }
        Long v = RspCodec.unhexLe(a.substring(eq + 1), size);
        if (v == null) {
            return "E01";
        }
        setRegister(cpus.get(gCore), (int) r, v);
        return "OK";
    }

    // ---------------------------------------------------------------- memory

    /** {@code addr,length} parsed; {@code null} when malformed or past 4 GiB. */
    private static long[] addressAndLength(String s) {
        int comma = s.indexOf(',');
        if (comma < 0) {
            return null;
        }
        long addr = RspCodec.number(s.substring(0, comma));
        long len = RspCodec.number(s.substring(comma + 1));
        if (addr < 0 || len < 0 || addr > 0xFFFF_FFFFL || len > 0x1_0000_0000L - addr) {
            return null;
        }
        return new long[] {addr, len};
    }

    private String readMemory(String a) {
        long[] al = addressAndLength(a);
        if (al == null || al[1] > RspCodec.Decoder.MAX_PACKET / 2) {
            return "E01";
        }
        byte[] out = new byte[(int) al[1]];
        int got = readVirtual(cpus.get(gCore), al[0], out);
        if (got == 0 && out.length > 0) {
            return "E14"; // EFAULT: not mapped, or a device (reads there have side effects)
        }
        return RspCodec.hex(Arrays.copyOf(out, got));
    }

    /** Reads through {@code cpu}'s translation into {@code out}; how many bytes could be read. */
    private int readVirtual(ArmCpu cpu, long va, byte[] out) {
        long pagePa = -1;
        long pageVa = -1;
        for (int i = 0; i < out.length; i++) {
            long v = va + i;
            if ((v & ~0xFFFL) != pageVa) {
                pageVa = v & ~0xFFFL;
                pagePa = cpu.debugTranslate((int) pageVa);
                if (pagePa < 0) {
                    return i;
                }
            }
            int b = readPhysical(pagePa + (v & 0xFFF));
            if (b < 0) {
                return i;
            }
            out[i] = (byte) b;
        }
        return out.length;
    }

    /** A byte of memory as the bus holds it, without side effects; -1 for nothing or a device. */
    private int readPhysical(long pa) {
        AddressSpace.Mapping m = bus.mappingAt(pa);
        if (m == null || !(m.region() instanceof CodeSource source)) {
            return -1;
        }
        long offset = pa - m.base();
        byte[] array = source.codeArray(offset & ~0xFFFL);
        if (array == null) {
            return -1; // a flash bank answering status or queries: reading would be the guest's business
        }
        return array[source.codeIndex(offset)] & 0xFF;
    }

    private String writeMemory(String a, boolean binary) {
        int colon = a.indexOf(':');
        long[] al = colon < 0 ? null : addressAndLength(a.substring(0, colon));
        if (al == null) {
            return "E01";
        }
        String data = a.substring(colon + 1);
        byte[] bytes = binary ? data.getBytes(StandardCharsets.ISO_8859_1) : RspCodec.unhex(data);
        if (bytes == null || bytes.length != al[1]) {
            return "E01";
        }
        ArmCpu cpu = cpus.get(gCore);
        for (int i = 0; i < bytes.length; i++) {
            long pa = cpu.debugTranslate((int) (al[0] + i));
            AddressSpace.Mapping m = pa < 0 ? null : bus.mappingAt(pa);
            if (m == null || !(m.region() instanceof Ram)) {
                return "E14"; // only RAM is written: a device or flash would see a guest write
            }
            bus.write(pa, 1, bytes[i] & 0xFF, Masters.DEBUG);
        }
        return "OK";
    }

    // ---------------------------------------------------------------- breakpoints and watchpoints

    private String breakOrWatch(boolean insert, String a) {
        String[] f = a.split("[,;]");
        if (f.length < 3) {
            return "E01";
        }
        long type = RspCodec.number(f[0]);
        long addr = RspCodec.number(f[1]);
        long kind = RspCodec.number(f[2]);
        if (type < 0 || type > 4 || addr < 0 || addr > 0xFFFF_FFFFL || kind < 0) {
            return "E01";
        }
        if (type <= 1) {
            if (kind != 2 && kind != 3 && kind != 4) {
                return "E01"; // ARM: 2 = 16-bit Thumb, 3 = 32-bit Thumb-2, 4 = ARM
            }
            TreeSet<Integer> set = type == 0 ? softBreaks : hardBreaks;
            if (insert) {
                set.add((int) addr & ~1);
            } else {
                set.remove((int) addr & ~1);
            }
            updateBreakpoints();
            return "OK";
        }
        if (kind < 1 || kind > 0x1000 || addr + kind > 0x1_0000_0000L) {
            return "E01";
        }
        List<Watchpoint> list = new ArrayList<>(Arrays.asList(watchpoints));
        if (insert) {
            long pa = cpus.get(gCore).debugTranslate((int) addr);
            long paEnd = cpus.get(gCore).debugTranslate((int) (addr + kind - 1));
            if (pa < 0 || paEnd != pa + kind - 1) {
                return "E14"; // not mapped now, or not contiguous physically
            }
            list.add(new Watchpoint((int) type, addr, pa, (int) kind));
        } else {
            boolean removed = false;
            for (int i = 0; i < list.size() && !removed; i++) {
                Watchpoint w = list.get(i);
                if (w.type() == type && w.va() == addr && w.length() == kind) {
                    list.remove(i);
                    removed = true;
                }
            }
            if (!removed) {
                return "E01";
            }
        }
        watchpoints = list.toArray(new Watchpoint[0]);
        updateWatching();
        return "OK";
    }

    /** Makes the cores' PC hooks match the breakpoints. */
    private void updateBreakpoints() {
        TreeSet<Integer> all = new TreeSet<>(softBreaks);
        all.addAll(hardBreaks);
        for (int a : new ArrayList<>(ownHooks)) {
            if (!all.contains(a)) {
                ownHooks.remove(a);
                for (ArmCpu cpu : cpus) {
                    cpu.removePcHook(a);
                }
            }
        }
        for (int a : all) {
            if (!ownHooks.contains(a) && !cpus.get(0).pcHooks().contains(a)) {
                ownHooks.add(a);
            }
            for (ArmCpu cpu : cpus) {
                cpu.addPcHook(a);
            }
        }
        breakTable = all.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Watches the bus while any watchpoint is set. */
    private void updateWatching() {
        if (watchpoints.length > 0 && busWatch == null) {
            busWatch = bus.watchAccesses(this::onAccess);
        } else if (watchpoints.length == 0 && busWatch != null) {
            try {
                busWatch.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            busWatch = null;
        }
    }

    private void onAccess(long address, int size, int master, boolean write) {
        if (master < 0 || master >= n || watchHit[master] != null) {
            return;
        }
        for (Watchpoint w : watchpoints) {
            boolean kindMatches = w.type() == 4 || (w.type() == 2) == write;
            if (kindMatches && address < w.pa() + w.length() && w.pa() < address + size) {
                watchHit[master] = w;
                watchHitAt[master] = w.va() + Math.max(0, address - w.pa());
                return;
            }
        }
    }

    // ---------------------------------------------------------------- monitor

    private static final String MONITOR_HELP = String.join("\n",
            "Brassboard monitor commands:",
            "  monitor help                 this list",
            "  monitor phys ADDR [LENGTH]   dump LENGTH bytes (default 64, at most 4096) of physical memory at ADDR",
            "  monitor time                 virtual time and instructions retired per core",
            "  monitor cores                each core's state: powered, mode, waiting",
            "");

    private String monitor(String command) {
        String[] w = command.split("\\s+");
        switch (w[0]) {
            case "", "help" -> consoleOut.append(MONITOR_HELP);
            case "phys" -> {
                long addr = w.length > 1 ? parseNumber(w[1]) : -1;
                long len = w.length > 2 ? parseNumber(w[2]) : 64;
                if (w.length < 2 || w.length > 3 || addr < 0 || addr > 0xFFFF_FFFFL || len < 1 || len > 4096) {
                    consoleOut.append("usage: monitor phys ADDR [LENGTH] (ADDR and LENGTH in hex like 0x40000000 or decimal; LENGTH 1-4096)\n");
                    break;
                }
                physDump(addr, (int) len);
            }
            case "time" -> {
                consoleOut.append("virtual time ").append(Machine.formatTime(machine.scheduler().now())).append('\n');
                for (int i = 0; i < n; i++) {
                    consoleOut.append("cpu").append(i).append(": ").append(cpus.get(i).instructionsRetired()).append(" instructions\n");
                }
            }
            case "cores" -> {
                for (int i = 0; i < n; i++) {
                    ArmCpu cpu = cpus.get(i);
                    consoleOut.append(String.format("cpu%d (thread %d): %s, pc 0x%08x, %s%s%n", i, i + 1,
                            machine.isPowered(i) ? "powered" : "off", cpu.pc(), cpu.modeName(), cpu.isWaitingForInterrupt() ? ", waiting" : ""));
                }
            }
            default -> consoleOut.append("unknown monitor command '").append(w[0]).append("'; 'monitor help' lists them\n");
        }
        return "OK";
    }

    private static long parseNumber(String s) {
        try {
            return s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void physDump(long addr, int len) {
        for (int line = 0; line < len; line += 16) {
            StringBuilder sb = new StringBuilder(String.format("0x%08x:", addr + line));
            for (int i = line; i < Math.min(len, line + 16); i++) {
                int b = readPhysical(addr + i);
                sb.append(b < 0 ? " --" : String.format(" %02x", b));
            }
            consoleOut.append(sb).append('\n');
        }
        AddressSpace.Mapping m = bus.mappingAt(addr);
        if (m == null || !(m.region() instanceof CodeSource)) {
            consoleOut.append("(-- : ").append(m == null ? "nothing mapped" : "a device, '" + m.region().name() + "', not read: reads there have side effects")
                    .append(")\n");
        }
    }
}
