package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** --cpus, --watchdog and --stop-on-lockup on the command line. */
class WatchdogCliTest {
    private static String image(String name) {
        return Path.of("..", "firmware", "images", name).toString();
    }

    @Test
    void stopperDeadlockIsReportedAndStopOnLockupExitsWithThree() {
        CliTest.Outcome o = brassboard("run", "--cpus", "2", "--stop-on-lockup", image("stopper-deadlock.elf"));
        assertThat(o.status()).isEqualTo(3);
        assertThat(o.out()).contains("cpu1: stop_one_cpu_nowait(0): spinning on stopper0 lock");
        assertThat(o.err()).contains("brassboard: deadlock: cpu0, cpu1 wait for each other (2 locks in a cycle)")
                .contains("<stoppers+0x10>, held by cpu1").contains("<stoppers+0x0>, held by cpu0")
                .contains("brassboard: stopped on lockup: deadlock: cpu0, cpu1");
    }

    @Test
    void withoutStopOnLockupTheRunGoesOnAndReportsEachFindingOnce() {
        CliTest.Outcome o = brassboard("run", "--cpus", "2", "--watchdog", "hard=2s,soft=3s", "--max-time", "60s",
                image("stopper-deadlock.elf"));
        assertThat(o.status()).isEqualTo(4);
        assertThat(o.err().split("brassboard: deadlock:", -1)).hasSize(2);
        assertThat(o.err().split("brassboard: hard lockup: cpu0 has had IRQs masked for 2.000000000 s", -1)).hasSize(2);
        assertThat(o.err().split("brassboard: hard lockup: cpu1", -1)).hasSize(2);
    }

    @Test
    void firmwareThatNeverEnablesInterruptsIsNotALockup() {
        CliTest.Outcome o = brassboard("run", "--watchdog", "hard=1ms,soft=1ms,spin=1ms", "--max-time", "20ms",
                image("ticker.elf"));
        assertThat(o.status()).isEqualTo(4);
        assertThat(o.err()).doesNotContain("lockup").doesNotContain("deadlock");
    }

    @Test
    void watchdogOffReportsNothing() {
        CliTest.Outcome o = brassboard("run", "--cpus", "2", "--watchdog", "off", "--max-time", "30s", image("stopper-deadlock.elf"));
        assertThat(o.err()).doesNotContain("lockup").doesNotContain("deadlock");
    }

    @Test
    void badSettingsAreOneLineErrors() {
        assertThat(brassboard("run", "--watchdog", "hard=soon", image("hello.elf")).oneLineError().err())
                .contains("--watchdog hard=soon: 'soon' is not a duration");
        assertThat(brassboard("run", "--watchdog", "nmi=1s", image("hello.elf")).oneLineError().err())
                .contains("--watchdog nmi=1s: unknown setting 'nmi'; expected hard=DURATION");
        assertThat(brassboard("run", "--watchdog", "soft=0s", image("hello.elf")).oneLineError().err())
                .contains("expected a duration above zero");
        assertThat(brassboard("run", "--watchdog", "off", "--stop-on-lockup", image("hello.elf")).oneLineError().status())
                .isEqualTo(2);
        assertThat(brassboard("run", "--cpus", "9", image("hello.elf")).oneLineError().err())
                .contains("--cpus 9: expected a number of cores from 1 to 8");
    }

    @Test
    void irqDemoRunsOnFourCores() {
        CliTest.Outcome o = brassboard("run", "--cpus", "4", image("irq-demo.elf"));
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).contains("smp: brought up 4 CPUs").contains("10 ticks, 10 timer softirqs");
    }
}
