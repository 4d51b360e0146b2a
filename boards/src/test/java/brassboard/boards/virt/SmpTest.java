package brassboard.boards.virt;

import brassboard.boards.board.wiring.Psci;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.TestImages.Rig;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.bus.api.Masters;
import brassboard.bus.api.TextTraceSink;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Several cores on the virt board: PSCI CPU_ON, the global exclusive monitor, SEV/WFE, determinism. */
class SmpTest {
    private static final long BASE = 0x4010_0000L;
    private static final long COUNTER = BASE + 0xC4;
    private static final long DONE = BASE + 0xC8;
    private static final int INCREMENTS = 30_000;

    /**
     * Core 0 starts cores 1, 2, ... with PSCI CPU_ON (entry = the program's start) until CPU_ON
     * fails; every core then adds 1 to a shared counter 30,000 times with LDREX/STREX (counting its
     * failed STREX in r6), bumps a shared "done" count, and SEVs; the secondaries CPU_OFF, core 0
     * waits in WFE until every core is done and powers off. Assembled with arm-none-eabi-as.
     */
    static final int[] COUNTERS = {
            0xEE100FB0, // mrc 15, 0, r0, cr0, cr0, {5}
            0xE20000FF, // and r0, r0, #255
            0xE3500000, // cmp r0, #0
            0x1A000013, // bne 60 <secondary>
            0xE3A04001, // mov r4, #1
            0xE3000003, // movw r0, #3
            0xE3480400, // movt r0, #33792
            0xE1A01004, // mov r1, r4
            0xE24F2028, // sub r2, pc, #40
            0xE3A03000, // mov r3, #0
            0xE1400070, // hvc 0
            0xE3500000, // cmp r0, #0
            0x1A000001, // bne 3c <_start+0x3c>
            0xE2844001, // add r4, r4, #1
            0xEAFFFFF5, // b 14 <_start+0x14>
            0xEB00000C, // bl 74 <work>
            0xE28F5080, // add r5, pc, #128
            0xE5950000, // ldr r0, [r5]
            0xE1500004, // cmp r0, r4
            0x1320F002, // wfene
            0x1AFFFFFB, // bne 44 <_start+0x44>
            0xE3000008, // movw r0, #8
            0xE3480400, // movt r0, #33792
            0xE1400070, // hvc 0
            0xEB000003, // bl 74 <work>
            0xE3000002, // movw r0, #2
            0xE3480400, // movt r0, #33792
            0xE1400070, // hvc 0
            0xEAFFFFFE, // b 70 <secondary+0x10>
            0xE28F1048, // add r1, pc, #72
            0xE3072530, // movw r2, #30000
            0xE3402000, // movt r2, #0
            0xE1910F9F, // ldrex r0, [r1]
            0xE2800001, // add r0, r0, #1
            0xE1813F90, // strex r3, r0, [r1]
            0xE3530000, // cmp r3, #0
            0x12866001, // addne r6, r6, #1
            0x1AFFFFF9, // bne 80 <work+0xc>
            0xE2522001, // subs r2, r2, #1
            0x1AFFFFF7, // bne 80 <work+0xc>
            0xE28F1020, // add r1, pc, #32
            0xE1910F9F, // ldrex r0, [r1]
            0xE2800001, // add r0, r0, #1
            0xE1813F90, // strex r3, r0, [r1]
            0xE3530000, // cmp r3, #0
            0x1AFFFFFA, // bne a4 <work+0x30>
            0xF57FF04F, // dsb sy
            0xE320F004, // sev
            0xE12FFF1E, // bx lr
            0x00000000, // .word 0x00000000
            0x00000000, // .word 0x00000000
    };

    @TempDir
    Path dir;

    private Rig rig(int cpus, TextTraceSink trace) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(COUNTERS.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : COUNTERS) {
            b.putInt(w);
        }
        Path f = dir.resolve("smp.bin");
        Files.write(f, b.array());
        Rig r = TestImages.rig(MachineConfig.of(f).withLoadAddress(OptionalLong.of(BASE)).withCpus(cpus), null);
        if (trace != null) {
            r.machine().tracer().addSink(trace);
        }
        return r;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void everyCoreStartsAndNoIncrementIsLost(int cpus) throws Exception {
        Rig r = rig(cpus, null);
        RunResult result = r.machine().run(RunLimits.none().withMaxInsns(50_000_000));
        assertThat(result.outcome()).as(result.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(r.machine().bus().read(DONE, 4, Masters.DEBUG)).isEqualTo(cpus);
        assertThat(r.machine().bus().read(COUNTER, 4, Masters.DEBUG)).isEqualTo((long) cpus * INCREMENTS);
        assertThat(r.machine().cpu().reg(4)).as("cores core 0 found").isEqualTo(cpus);
    }

    @Test
    void storeExclusivesFailWhenAnotherCoreGotInBetween() throws Exception {
        // Quanta are 10,000 instructions: a LDREX at the end of one and its STREX at the start of
        // the next have another core's increments in between, and the STREX must fail.
        Rig r = rig(4, null);
        r.machine().run(RunLimits.none().withMaxInsns(50_000_000));
        long failures = 0;
        for (var cpu : r.machine().cpus()) {
            failures += cpu.reg(6);
        }
        assertThat(failures).isPositive();
        assertThat(r.machine().bus().read(COUNTER, 4, Masters.DEBUG)).isEqualTo(4L * INCREMENTS);
    }

    @Test
    void fourCoresInterleaveTheSameWayEveryRun() throws Exception {
        String[] traces = new String[2];
        long[][] retired = new long[2][4];
        for (int run = 0; run < 2; run++) {
            StringWriter out = new StringWriter();
            TextTraceSink sink = new TextTraceSink(out);
            Rig r = rig(4, sink);
            RunResult result = r.machine().run(RunLimits.none().withMaxInsns(50_000_000));
            r.machine().tracer().close();
            traces[run] = out.toString() + result.message();
            for (int i = 0; i < 4; i++) {
                retired[run][i] = r.machine().cpus().get(i).instructionsRetired() * 1000 + r.machine().cpus().get(i).reg(6);
            }
        }
        assertThat(traces[0]).contains("cpu.on").contains("CPU_ON cpu3").contains("cpu.off");
        assertThat(traces[1]).isEqualTo(traces[0]);
        assertThat(retired[1]).isEqualTo(retired[0]);
    }

    @Test
    void psciCpuOnAndAffinityInfoAnswerAsDen0022Says() {
        boolean[] on = {true, false};
        int[] started = new int[3];
        Psci psci = new Psci(new Psci.Power() {
            @Override
            public void systemOff() {
            }

            @Override
            public void systemReset() {
            }

            @Override
            public void cpuOff(brassboard.arm.api.ArmCpu cpu) {
            }

            @Override
            public int cpuCount() {
                return 2;
            }

            @Override
            public boolean isOn(int cpu) {
                return on[cpu];
            }

            @Override
            public void cpuOn(int cpu, int entry, int contextId) {
                on[cpu] = true;
                started[0] = cpu;
                started[1] = entry;
                started[2] = contextId;
            }
        });
        brassboard.bus.api.Tracer tracer = brassboard.bus.api.Tracer.none();
        var cpu = new brassboard.arm.api.ArmCpu(0, new brassboard.bus.api.AddressSpace(tracer, new brassboard.bus.api.FaultPoints()), null);
        assertThat(call(psci, cpu, Psci.AFFINITY_INFO, 1, 0, 0)).isEqualTo(Psci.AFF_OFF);
        assertThat(call(psci, cpu, Psci.CPU_ON, 1, 0x4000_1000, 0x55)).isEqualTo(Psci.SUCCESS);
        assertThat(started).containsExactly(1, 0x4000_1000, 0x55);
        assertThat(call(psci, cpu, Psci.CPU_ON, 1, 0x4000_1000, 0)).isEqualTo(Psci.ALREADY_ON);
        assertThat(call(psci, cpu, Psci.CPU_ON, 0, 0x4000_1000, 0)).isEqualTo(Psci.ALREADY_ON);
        assertThat(call(psci, cpu, Psci.CPU_ON, 2, 0x4000_1000, 0)).isEqualTo(Psci.INVALID_PARAMETERS);
        assertThat(call(psci, cpu, Psci.CPU_ON, 0x100, 0x4000_1000, 0)).as("Aff1 = 1: another cluster").isEqualTo(Psci.INVALID_PARAMETERS);
        assertThat(call(psci, cpu, Psci.AFFINITY_INFO, 1, 0, 0)).isEqualTo(Psci.AFF_ON);
        assertThat(call(psci, cpu, Psci.AFFINITY_INFO, 1, 1, 0)).as("only level 0").isEqualTo(Psci.INVALID_PARAMETERS);
    }

    private static int call(Psci psci, brassboard.arm.api.ArmCpu cpu, int fn, int r1, int r2, int r3) {
        cpu.setReg(0, fn);
        cpu.setReg(1, r1);
        cpu.setReg(2, r2);
        cpu.setReg(3, r3);
        psci.call(cpu);
        return cpu.reg(0);
    }
}
