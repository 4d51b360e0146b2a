package brassboard.boards.board;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.board.wiring.Psci;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;

/**
 * The firmware services the emulator itself provides, as board features: PSCI (catalogue type
 * {@code psci}, on the conduit the board names) and semihosting (type {@code semihosting}). A
 * board without them leaves HVC/SMC and the semihosting SVC to the CPU's own exception handling.
 */
final class FirmwareServices implements CpuCallbacks {
    private Psci.Conduit conduit;
    private boolean semihostingOn;
    private Psci psci;
    private Machine machine;
    private Semihosting semihosting;
    private Tracer tracer;

    /** Serves PSCI on {@code c}. */
    void enablePsci(Psci.Conduit c) {
        this.conduit = c;
    }

    void enableSemihosting() {
        this.semihostingOn = true;
    }

    void attach(Machine m, AddressSpace bus, Console console, Tracer t, Scheduler scheduler, long epoch) {
        this.tracer = t;
        Machine.PowerControl power = m.power();
        this.machine = m;
        this.psci = new Psci(new Psci.Power() {
            @Override
            public void systemOff() {
                power.powerOff("PSCI SYSTEM_OFF");
            }

            @Override
            public void systemReset() {
                power.reset("PSCI SYSTEM_RESET");
            }

            @Override
            public void cpuOff(ArmCpu cpu) {
                m.powerDown(cpu.cpuId());
            }

            @Override
            public int cpuCount() {
                return m.cpus().size();
            }

            @Override
            public boolean isOn(int cpu) {
                return m.isPowered(cpu);
            }

            @Override
            public void cpuOn(int cpu, int entry, int contextId) {
                m.powerOn(cpu, entry, contextId);
            }
        });
        this.semihosting = new Semihosting(bus, console::transmit, new Semihosting.Host() {
            @Override
            public void exit(int status, String how) {
                power.exit(status, "semihosting " + how);
            }

            @Override
            public long virtualTimeNs() {
                return scheduler.now();
            }

            @Override
            public long epochSeconds() {
                return epoch;
            }

            @Override
            public void warnOnce(String key, String message) {
                t.warnOnce(key, "semihosting", message);
            }
        });
    }

    @Override
    public boolean onSupervisorCall(ArmCpu cpu, int imm24) {
        if (!semihostingOn) {
            return false;
        }
        boolean thumb = (cpu.cpsr() & brassboard.arm.core.Psr.T) != 0;
        if (imm24 != (thumb ? Semihosting.SVC_IMMEDIATE_THUMB : Semihosting.SVC_IMMEDIATE)) {
            return false;
        }
        String what = semihosting.call(cpu);
        tracer.emit("semihost", "semihosting.call", what);
        return true;
    }

    @Override
    public boolean onHypervisorCall(ArmCpu cpu, int imm16) {
        return conduit == Psci.Conduit.HVC && psci(cpu, "hvc");
    }

    @Override
    public boolean onSecureMonitorCall(ArmCpu cpu, int imm4) {
        return conduit == Psci.Conduit.SMC && psci(cpu, "smc");
    }

    @Override
    public void onSendEvent(ArmCpu cpu) {
        // SEV: an event for every other core (ARM ARM B1.8.13, "SEV": all processors in the system).
        for (ArmCpu other : machine.cpus()) {
            if (other != cpu) {
                other.signalEvent();
            }
        }
    }

    private boolean psci(ArmCpu cpu, String via) {
        int fn = cpu.reg(0);
        String what = psci.call(cpu);
        tracer.emit("psci", "psci.call", String.format("%s via %s (function 0x%08x)", what, via, fn));
        return true;
    }
}
