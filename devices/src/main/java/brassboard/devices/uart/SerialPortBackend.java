package brassboard.devices.uart;

import brassboard.devices.api.CharBackend;
import brassboard.devices.api.LineSettings;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import jssc.SerialPort;
import jssc.SerialPortException;

/**
 * A UART's far end on a host serial port ({@code /dev/ttyUSB0}, {@code /dev/ttyS0}, a pseudo-terminal)
 * through jSSC: {@code brassboard run --serial PORT}.
 *
 * <p><b>Line.</b> The port opens at 115200 baud, 8N1, raw (no echo, no line editing, no flow
 * control), the PL011's rate before a guest programs one. When the guest programs its line
 * ({@link #lineSettings}), the port follows: data bits, parity (including stick parity) and stop
 * bits as given, and the baud rate snapped to the nearest rate the host's termios knows when that is
 * within {@value #BAUD_TOLERANCE_PERCENT}% (what two real UARTs tolerate between them: a PL011 at
 * 24 MHz makes 115200 baud as 115246); a rate further from any is left unapplied, with a warning.
 *
 * <p><b>Input</b> is read without a thread: when the UART pulls a byte (on its own virtual-time
 * schedule, as for any live source: every character time while bytes come, backing off to once a
 * millisecond of virtual time while none do), whatever the port has buffered is taken with a
 * non-blocking read. Which bytes arrive is then fixed, but at which virtual time each does depends on
 * when the host delivered it, exactly as with {@code --input -}: a run fed by a serial port is not
 * reproducible, one fed by a script is.
 *
 * <p><b>Output</b> is written as the guest sends it, collected into one write per line, per input
 * pull and at close, so a prompt without a newline goes out before the guest waits for an answer.
 * A write error (the device unplugged) is kept, later output dropped, and the run goes on; the
 * caller reports {@link #error()}.
 */
public final class SerialPortBackend implements CharBackend {
    /** How far the guest's rate may be from a host rate and still be applied as that rate. */
    public static final int BAUD_TOLERANCE_PERCENT = 3;
    /** The rate and frame a port is opened with: the PL011's before a guest programs it. */
    public static final LineSettings OPEN_SETTINGS = new LineSettings(Pl011.DEFAULT_BAUD, 8, LineSettings.Parity.NONE, 1);
    /** The rates Linux's termios names (B50 … B4000000): what jSSC can set on any port. */
    private static final int[] HOST_RATES = {50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200,
        38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000,
        3000000, 3500000, 4000000};
    private static final int NEWLINE = '\n';
    private static final int OUT_BUFFER = 256;
    private static final int MAX_READ = 256;

    private final SerialPort port;
    private final String name;
    private final Consumer<String> warnings;
    private final byte[] out = new byte[OUT_BUFFER];
    private int outCount;
    private byte[] in = new byte[0];
    private int inPosition;
    private LineSettings applied = OPEN_SETTINGS;
    private String error;
    private boolean closed;

    private SerialPortBackend(SerialPort port, Consumer<String> warnings) {
        this.port = port;
        this.name = port.getPortName();
        this.warnings = warnings;
    }

    /**
     * Opens {@code portName} at {@link #OPEN_SETTINGS}; {@code warnings} receives one-line notes (a
     * guest's rate the port cannot run).
     *
     * @throws IOException one line naming the port and what is wrong: no such port, permission denied,
     *                     busy, not a serial port, or jSSC's native library not loadable
     */
    public static SerialPortBackend open(String portName, Consumer<String> warnings) throws IOException {
        SerialPort port;
        try {
            port = new SerialPort(portName);
            port.openPort();
        } catch (SerialPortException e) {
            throw new IOException(portName + ": " + describe(e), e);
        } catch (LinkageError e) {
            throw new IOException(portName + ": cannot load jSSC's native serial-port library (" + e.getMessage() + ")", e);
        }
        SerialPortBackend backend = new SerialPortBackend(port, warnings);
        try {
            backend.setParams(OPEN_SETTINGS);
        } catch (IOException e) {
            backend.closeQuietly();
            throw e;
        }
        return backend;
    }

    private static String describe(SerialPortException e) {
        String type = e.getExceptionType();
        if (SerialPortException.TYPE_PORT_NOT_FOUND.equals(type)) {
            return "no such serial port";
        }
        if (SerialPortException.TYPE_PERMISSION_DENIED.equals(type)) {
            return "permission denied (on Debian, serial ports belong to the dialout group: adduser $USER dialout)";
        }
        if (SerialPortException.TYPE_PORT_BUSY.equals(type)) {
            return "the port is busy (another program has it open exclusively)";
        }
        if (SerialPortException.TYPE_INCORRECT_SERIAL_PORT.equals(type)) {
            return "not a serial port (it has no terminal settings)";
        }
        return type;
    }

    /** The port's name as given. */
    public String portName() {
        return name;
    }

    /** The line the port runs now. */
    public LineSettings applied() {
        return applied;
    }

    /** The first I/O error on the port, if any: later output was dropped, no more input read. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public void transmit(int b) {
        if (error != null || closed) {
            return;
        }
        out[outCount++] = (byte) b;
        if (b == NEWLINE || outCount == out.length) {
            flush();
        }
    }

    @Override
    public int poll() {
        flush();
        if (inPosition < in.length) {
            return in[inPosition++] & 0xFF;
        }
        if (error != null || closed) {
            return -1;
        }
        try {
            int waiting = port.getInputBufferBytesCount();
            if (waiting <= 0) {
                return -1;
            }
            in = port.readBytes(Math.min(waiting, MAX_READ));
            inPosition = 0;
        } catch (SerialPortException e) {
            fail("read", e);
            return -1;
        }
        return in.length > 0 ? in[inPosition++] & 0xFF : -1;
    }

    /** Input ends only with an error on the port (it was unplugged). */
    @Override
    public boolean inputExhausted() {
        return error != null && inPosition >= in.length;
    }

    /** A serial line delivers on the host's schedule. */
    @Override
    public boolean inputLive() {
        return true;
    }

    /** Applies the guest's line to the port, as far as the host supports it (see the class comment). */
    @Override
    public void lineSettings(LineSettings settings) {
        if (error != null || closed) {
            return;
        }
        long baud = applied.baud();
        if (settings.baudProgrammed()) {
            int host = nearestHostRate(settings.baud());
            if (host < 0) {
                warnings.accept("--serial " + name + ": the guest's " + settings.baud() + " baud is not within "
                        + BAUD_TOLERANCE_PERCENT + "% of a rate the host port can run; the port stays at " + baud + " baud");
            } else {
                baud = host;
            }
        }
        flush(); // what was sent at the old settings goes out at them
        LineSettings wanted = new LineSettings(baud, settings.dataBits(), settings.parity(), settings.stopBits());
        try {
            if (!wanted.equals(applied)) {
                setParams(wanted);
            }
        } catch (IOException e) {
            error = e.getMessage();
        }
    }

    /**
     * The termios rate nearest to {@code baud} (relatively), or -1 if even that one is more than
     * {@link #BAUD_TOLERANCE_PERCENT}% away.
     */
    static int nearestHostRate(long baud) {
        int best = -1;
        double bestError = Double.MAX_VALUE;
        for (int r : HOST_RATES) {
            double e = Math.abs((double) baud - r) / r;
            if (e < bestError) {
                bestError = e;
                best = r;
            }
        }
        return bestError * 100 <= BAUD_TOLERANCE_PERCENT ? best : -1;
    }

    /**
     * Sets the port's termios to {@code s} (raw, standard rate). jSSC then raises RTS and DTR and
     * answers false when the port has no modem-control lines (a pseudo-terminal) although the
     * termios settings took, so its answer is not taken as failure; {@code stty -F PORT -a} shows
     * what the port runs.
     */
    private void setParams(LineSettings s) throws IOException {
        int parity = switch (s.parity()) {
            case NONE -> SerialPort.PARITY_NONE;
            case ODD -> SerialPort.PARITY_ODD;
            case EVEN -> SerialPort.PARITY_EVEN;
            case MARK -> SerialPort.PARITY_MARK;
            case SPACE -> SerialPort.PARITY_SPACE;
        };
        try {
            port.setParams((int) s.baud(), s.dataBits(), s.stopBits() == 2 ? SerialPort.STOPBITS_2 : SerialPort.STOPBITS_1,
                    parity, true, true);
            applied = s;
        } catch (SerialPortException e) {
            throw new IOException(name + ": cannot set " + s + ": " + e.getExceptionType(), e);
        }
    }

    private void flush() {
        if (outCount == 0 || error != null) {
            outCount = 0;
            return;
        }
        byte[] chunk = java.util.Arrays.copyOf(out, outCount);
        outCount = 0;
        try {
            if (!port.writeBytes(chunk)) {
                error = name + ": write failed";
            }
        } catch (SerialPortException e) {
            fail("write", e);
        }
    }

    private void fail(String what, SerialPortException e) {
        if (error == null) {
            error = name + ": " + what + " failed: " + e.getExceptionType();
        }
    }

    /** Sends what is still buffered and closes the port. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        flush();
        closeQuietly();
    }

    private void closeQuietly() {
        closed = true;
        try {
            port.closePort();
        } catch (SerialPortException e) {
            // closing: nothing more to do with the port either way
        }
    }
}
