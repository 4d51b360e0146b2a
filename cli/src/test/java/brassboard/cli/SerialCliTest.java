package brassboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jssc.SerialPort;
import jssc.SerialPortException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --serial PORT} end to end over a pseudo-terminal pair made by Debian's {@code socat}
 * ({@code socat -d -d pty,raw,echo=0 pty,raw,echo=0}; with {@code CI} set a missing socat fails the
 * test): Brassboard opens one end through jSSC, the test holds the other as a user's terminal
 * program would.
 */
class SerialCliTest {
    private static final Path SOCAT = Path.of("/usr/bin/socat");
    private static final Pattern PTY = Pattern.compile("PTY is (\\S+)");
    private static final String IMAGES = Path.of("..", "firmware", "images").toString();

    private Process socat;
    /** The end Brassboard opens. */
    private String guestEnd;
    /** The end the test types into and reads from. */
    private SerialPort user;

    @BeforeEach
    void makePtyPair() throws Exception {
        if (!Files.isExecutable(SOCAT)) {
            String message = SOCAT + " is missing: apt-get install socat (the serial tests make their pty pair with it)";
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        socat = new ProcessBuilder(SOCAT.toString(), "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0").start();
        List<String> ptys = new ArrayList<>();
        BufferedReader log = new BufferedReader(new InputStreamReader(socat.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        while (ptys.size() < 2 && (line = log.readLine()) != null) {
            Matcher m = PTY.matcher(line);
            if (m.find()) {
                ptys.add(m.group(1));
            }
        }
        assertThat(ptys).as("socat names both ptys").hasSize(2);
        guestEnd = ptys.get(0);
        user = new SerialPort(ptys.get(1));
        user.openPort();
        user.setParams(115_200, 8, 1, 0);
    }

    @AfterEach
    void closePtyPair() throws Exception {
        if (user != null && user.isOpened()) {
            user.closePort();
        }
        if (socat != null) {
            socat.destroy();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Everything the user's end receives until {@code expected} has arrived (or 10 s of host time). */
    private String receiveUntil(String expected) throws SerialPortException, InterruptedException {
        StringBuilder got = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!got.toString().contains(expected) && System.nanoTime() < deadline) {
            int n = user.getInputBufferBytesCount();
            if (n > 0) {
                got.append(new String(user.readBytes(n), StandardCharsets.ISO_8859_1));
            } else {
                Thread.sleep(5);
            }
        }
        return got.toString();
    }

    @Test
    void helloPrintsOnTheFarEndOfTheSerialLine() throws Exception {
        CliTest.Outcome o = CliTest.brassboard("run", Path.of(IMAGES, "hello.elf").toString(), "--serial", guestEnd);
        assertThat(o.status()).as("stderr: %s", o.err()).isZero();
        assertThat(o.out()).as("nothing on the terminal: the console is the serial port").isEmpty();
        assertThat(o.err()).isEmpty();
        assertThat(receiveUntil("SYSTEM_OFF\r\n")).startsWith("Brassboard hello: ARMv7-A on the virt board\r\nMIDR 0x")
                .endsWith("\r\npowering off via PSCI SYSTEM_OFF\r\n");
    }

    @Test
    void bytesTypedOnTheFarEndReachTheGuestAndItsEchoComesBack() throws Exception {
        user.writeBytes("hi serial\r".getBytes(StandardCharsets.US_ASCII)); // waiting in the port when the run starts
        java.util.concurrent.atomic.AtomicReference<String> first = new java.util.concurrent.atomic.AtomicReference<>();
        Thread later = new Thread(() -> { // and typed while the guest runs, once it has answered the first line
            try {
                first.set(receiveUntil("echo> hi serial\r\necho> "));
                user.writeBytes("exit\r".getBytes(StandardCharsets.US_ASCII));
            } catch (SerialPortException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        later.start();
        CliTest.Outcome o = CliTest.brassboard("run", Path.of(IMAGES, "echo.elf").toString(), "--serial", guestEnd,
                "--max-time", "600s");
        later.join();
        assertThat(o.status()).as("the guest read 'exit' and powered off; stderr: %s", o.err()).isZero();
        assertThat(first.get()).isEqualTo("echo> hi serial\r\necho> ");
        assertThat(receiveUntil("exit\r\n")).isEqualTo("exit\r\n");
    }

    @Test
    void theGuestsBaudRateAndFrameAreAppliedToThePort(@TempDir Path dir) throws Exception {
        // 9600 baud from the virt board's 24 MHz UARTCLK (IBRD 156, FBRD 16), 7 data bits, even parity, 2 stop bits.
        Path program = CliTest.program(dir.resolve("uart7e2.bin"),
                0xE3A00409,             // mov   r0, #0x09000000      PL011
                0xE3A0109C,             // mov   r1, #156
                0xE5801024,             // str   r1, [r0, #0x24]      UARTIBRD
                0xE3A01010,             // mov   r1, #16
                0xE5801028,             // str   r1, [r0, #0x28]      UARTFBRD
                0xE3A0104E,             // mov   r1, #0x4e            WLEN 7 bits, EPS, PEN, STP2
                0xE580102C,             // str   r1, [r0, #0x2c]      UARTLCR_H
                0xE3001301,             // movw  r1, #0x301           RXE, TXE, UARTEN
                0xE5801030,             // str   r1, [r0, #0x30]      UARTCR
                0xE3A0104B,             // mov   r1, #'K'
                0xE5801000,             // str   r1, [r0]             UARTDR
                0xE3000008, 0xE3480400, // r0 = 0x84000008            PSCI SYSTEM_OFF
                0xE1400070);            // hvc   #0
        CliTest.Outcome o = CliTest.brassboard("run", "--bios", program.toString(), "--serial", guestEnd);
        assertThat(o.status()).as("stderr: %s", o.err()).isZero();
        assertThat(receiveUntil("K")).isEqualTo("K");
        // The pty keeps its termios after Brassboard closed it (socat holds the master). Linux's pty driver
        // forces cs8 and -parenb whatever is asked (drivers/tty/pty.c, pty_set_termios), so of the frame a pty
        // shows the rate, the stop bits and the parity check (inpck) that jSSC turns on with a parity.
        String stty = run("stty", "-F", guestEnd, "-a");
        assertThat(stty).contains("speed 9600 baud").containsPattern("(^|\\s)cstopb(\\s|$)")
                .containsPattern("(^|\\s)inpck(\\s|$)");
    }

    @Test
    void aRateNoHostPortRunsIsAWarningAndThePortKeepsItsRate(@TempDir Path dir) throws Exception {
        // IBRD 6, FBRD 0: 24 MHz / (16 x 6) = 250000 baud, 8% from 230400.
        Path program = CliTest.program(dir.resolve("uart250k.bin"),
                0xE3A00409, 0xE3A01006, 0xE5801024, 0xE3A01060, 0xE580102C, // IBRD 6, LCR_H 8N1
                0xE3000008, 0xE3480400, 0xE1400070);
        CliTest.Outcome o = CliTest.brassboard("run", "--bios", program.toString(), "--serial", guestEnd);
        assertThat(o.status()).isZero();
        assertThat(o.err()).isEqualTo("brassboard: warning: --serial " + guestEnd + ": the guest's 250000 baud is not within 3%"
                + " of a rate the host port can run; the port stays at 115200 baud\n");
        assertThat(run("stty", "-F", guestEnd, "-a")).contains("speed 115200 baud");
    }

    @Test
    void aMissingPortIsOneLineAndExitTwo() {
        CliTest.Outcome o = CliTest.brassboard("run", Path.of(IMAGES, "hello.elf").toString(), "--serial", "/dev/ttyBRASSBOARD9")
                .oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("brassboard: --serial /dev/ttyBRASSBOARD9: no such serial port\n");
    }

    @Test
    void theSerialPortReplacesTheConsoleSoInputAndOutputDoNotApply() {
        CliTest.Outcome o = CliTest.brassboard("run", Path.of(IMAGES, "hello.elf").toString(), "--serial", guestEnd,
                "--output", "x.txt").oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("brassboard: --serial " + guestEnd + " replaces the console: --output does not apply to it\n");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
        return out;
    }
}
