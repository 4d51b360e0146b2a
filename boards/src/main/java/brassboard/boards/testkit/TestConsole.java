package brassboard.boards.testkit;

import brassboard.boards.api.Machine;
import brassboard.boards.api.RunResult;
import brassboard.devices.api.CharSink;
import brassboard.devices.api.CharSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test's end of the machine's console (the UART, and semihosting output): everything the firmware
 * prints is kept in a transcript, {@link #expect} waits — in virtual time — for output matching a
 * pattern, and {@link #send} types input.
 *
 * <p>Expectations work like pexpect's: each {@code expect} searches the output after the end of the
 * previous match, so a sequence of them reads the console in order. Patterns see the output bytes as
 * ISO-8859-1 characters ({@code \r\n} line ends as the firmware prints them); {@code $} is the end of
 * the output so far, so {@code "=> $"} matches only while U-Boot's prompt is the last thing printed.
 * While the machine runs, new output is checked between rounds of quanta, with the {@value #WINDOW}
 * characters before it: a match that begins further back is found only when the run next pauses.
 *
 * <p>Input is deterministic: {@link #send} queues bytes the UART takes one character time apart, on its
 * own virtual-time schedule, from the moment the machine goes on running. Text sent right after an
 * {@code expect} is therefore what a person types once the prompt shows, and the same test gives the
 * same run every time.
 */
public final class TestConsole {
    /** How much earlier output new output is matched with while the machine runs (the whole is searched when it pauses). */
    public static final int WINDOW = 4096;
    /** Lines of output a failed expectation quotes. */
    static final int QUOTED_LINES = 25;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    /** The same bytes as ISO-8859-1 characters, for matching. */
    private final StringBuilder text = new StringBuilder();
    private final ArrayDeque<Integer> input = new ArrayDeque<>();
    private final boolean inputOpen;
    /** Set by {@link #endInput}: once the queue is empty, no more input will come. */
    private boolean inputEnded;
    private TestMachine machine;
    /** Where the next expectation starts searching: the end of the last match. */
    private int cursor;
    /** The pattern an expectation waits for while the machine runs, and how far new output has been checked. */
    private Pattern waitingFor;
    private int checkedTo;

    TestConsole(boolean inputOpen) {
        this.inputOpen = inputOpen;
    }

    void attach(TestMachine m) {
        this.machine = m;
    }

    /** Where the console's output goes: the transcript. */
    CharSink sink() {
        return new CharSink() {
            @Override
            public void write(int b) {
                bytes.write(b);
                text.append((char) (b & 0xFF));
            }
        };
    }

    /**
     * Where the console's input comes from: the bytes {@link #send} queued. An open console's input
     * never ends (the UART keeps pulling, one character time apart); a closed one has none.
     */
    CharSource source() {
        return new CharSource() {
            @Override
            public int poll() {
                Integer b = input.poll();
                return b == null ? -1 : b;
            }

            @Override
            public boolean exhausted() {
                return !inputOpen || inputEnded && input.isEmpty();
            }
        };
    }

    /**
     * Runs the machine until the console output after the previous match matches {@code regex}, at
     * most {@code timeout} of virtual time; returns the match (its groups too).
     *
     * @throws AssertionError when the timeout passes or the run ends first; the message quotes the
     *                        output since the previous match
     */
    public MatchResult expect(String regex, Duration timeout) {
        return expect(Pattern.compile(regex), timeout);
    }

    /** As {@link #expect(String, Duration)}, with a compiled pattern. */
    public MatchResult expect(Pattern pattern, Duration timeout) {
        Objects.requireNonNull(pattern, "pattern");
        long timeoutNs = TestMachine.nanos(timeout, "expect timeout");
        long deadline = TestMachine.saturatedAdd(machine.now(), timeoutNs);
        while (true) {
            Optional<MatchResult> found = search(pattern);
            if (found.isPresent()) {
                cursor = found.get().end();
                return found.get();
            }
            if (machine.result().isPresent() || machine.now() >= deadline) {
                throw new AssertionError(failure(pattern, timeout));
            }
            waitingFor = pattern;
            checkedTo = cursor;
            try {
                machine.runUntil(deadline, this::newOutputMatches);
            } finally {
                waitingFor = null;
            }
        }
    }

    /** The first match after the cursor in the whole output. */
    private Optional<MatchResult> search(Pattern pattern) {
        Matcher m = pattern.matcher(text);
        m.region(cursor, text.length());
        return m.find() ? Optional.of(m.toMatchResult()) : Optional.empty();
    }

    /** Between rounds: whether output that came since the last look matches (within the window). */
    private boolean newOutputMatches() {
        if (waitingFor == null || text.length() == checkedTo) {
            return false;
        }
        // New output, and the last WINDOW characters before it (a match may begin there).
        int from = Math.max(cursor, checkedTo - WINDOW);
        checkedTo = text.length();
        Matcher m = waitingFor.matcher(text);
        m.region(from, text.length());
        m.useAnchoringBounds(from == cursor);
        return m.find();
    }

    private String failure(Pattern pattern, Duration timeout) {
        Optional<RunResult> end = machine.result();
        String why = end.map(r -> "the run ended (" + r.message() + ")")
                .orElse("nothing matched within " + TestMachine.describe(timeout) + " of virtual time (now "
                        + Machine.formatTime(machine.now()) + ")");
        return "console output never matched /" + pattern.pattern() + "/: " + why + "; output since the previous match"
                + quoteTail(text.substring(cursor));
    }

    /** {@code output}'s last {@link #QUOTED_LINES} lines, as a block to append to a message. */
    static String quoteTail(String output) {
        if (output.isEmpty()) {
            return ": (none)";
        }
        String[] lines = output.replace("\r", "").split("\n", -1);
        int first = Math.max(0, lines.length - QUOTED_LINES);
        StringBuilder sb = new StringBuilder(first > 0 ? " (last " + QUOTED_LINES + " lines):" : ":");
        for (int i = first; i < lines.length; i++) {
            sb.append("\n  | ").append(lines[i]);
        }
        return sb.toString();
    }

    /**
     * Queues {@code text} (UTF-8) as console input; the firmware receives it once the machine runs on.
     *
     * @throws IllegalStateException if the machine was built with its console input closed
     */
    public TestConsole send(String text) {
        if (!inputOpen) {
            throw new IllegalStateException("this machine's console input is closed (built with consoleInput(false)); "
                    + "build it with console input open to send text");
        }
        if (inputEnded) {
            throw new IllegalStateException("this console's input was ended (endInput()): nothing more can be sent");
        }
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            input.add(b & 0xFF);
        }
        return this;
    }

    /**
     * Says no more input will come after what is queued: once the UART has taken it, it stops asking
     * (as at the end of an {@code --input} file), so the rest of the run is what it would be there.
     */
    public TestConsole endInput() {
        inputEnded = true;
        return this;
    }

    /** Queues {@code line} and a line feed ({@code \n}, which U-Boot and Linux take as Enter). */
    public TestConsole sendLine(String line) {
        return send(line + "\n");
    }

    /** Input bytes sent but not yet taken by the UART. */
    public int pendingInput() {
        return input.size();
    }

    /** Everything the firmware has printed so far, decoded as UTF-8. */
    public String transcript() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Everything the firmware has printed so far, as bytes. */
    public byte[] transcriptBytes() {
        return bytes.toByteArray();
    }

    /** The output after the previous match (what the next {@link #expect} searches), as ISO-8859-1 text. */
    public String unmatched() {
        return text.substring(cursor);
    }
}
