package brassboard.boards.testkit;

// docs/testing.md shows this file from here on (DocsExampleTest keeps the two the same).
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.api.RunResult;
import brassboard.boards.testkit.BrassboardTest;
import brassboard.boards.testkit.TestMachine;
import brassboard.boards.testkit.TestMachineBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Firmware tests on Brassboard: each test gets a machine; a failed one keeps its console and trace. */
@BrassboardTest(image = "../firmware/images/echo.elf")
class FirmwareExampleTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void echoesWhatItIsSentAndPowersOffOnExit(TestMachine m) {
        m.console().expect("echo> $", SECOND); // virtual time: waiting costs no host time
        m.console().sendLine("hello");
        m.console().expect("hello\r\necho> $", SECOND);
        m.console().sendLine("exit");
        assertThat(m.runToEnd(SECOND).outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(m.console().transcript()).isEqualTo("echo> hello\r\necho> exit\r\n");
    }

    @Test
    @BrassboardTest(image = "../firmware/images/irq-demo.elf", cpus = 2)
    void aLostTimerInterruptStallsTheTick(TestMachineBuilder board) {
        TestMachine m = board.faults("""
                rules:
                  - point: irq.cpu0.timer.virt
                    when: { after: 3500us }
                    action: drop
                    times: once
                """).build();
        String seen = m.console().expect("timer stalled: only (\\d+) of 10 ticks", Duration.ofMillis(100)).group(1);
        assertThat(seen).isEqualTo("3");
        assertThat(m.readWord(m.symbol("ticks"))).isEqualTo(3); // the firmware's own counter
        assertThat(m.faultReport()).contains("irq.cpu0.timer.virt assertion: dropped");
    }
}
