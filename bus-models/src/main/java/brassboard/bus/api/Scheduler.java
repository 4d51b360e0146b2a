package brassboard.bus.api;

import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * One machine's virtual clock and its event queue.
 *
 * <p>Time is a {@code long} count of nanoseconds from power-on. Events fire in order of
 * (time, sequence number): two events scheduled for the same instant fire in the order they
 * were scheduled, so a run is a pure function of its inputs. Nothing here reads the host clock.
 * Components receive the scheduler at construction; none creates threads of its own.
 */
public final class Scheduler {

    /** A scheduled callback; keep it to {@linkplain #cancel(Event) cancel} it. */
    public static final class Event implements Comparable<Event> {
        private final long time;
        private final long sequence;
        private final String name;
        private final Runnable action;
        private boolean cancelled;

        private Event(long time, long sequence, String name, Runnable action) {
            this.time = time;
            this.sequence = sequence;
            this.name = name;
            this.action = action;
        }

        /** Virtual time (ns) at which the event fires. */
        public long time() {
            return time;
        }

        /** The name given when it was scheduled, for traces and debugging. */
        public String name() {
            return name;
        }

        /** Whether it was cancelled before it fired. */
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }

        @Override
        public String toString() {
            return name + "@" + time + "ns";
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    /** What other threads posted ({@link #postFromHost}), for the simulation thread's next round. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> hostPosts = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile boolean posted;
    private long now;
    private long nextSequence;
    private LongSupplier quantumElapsed;
    private long quantumEnd = Long.MAX_VALUE;
    private Runnable quantumBreaker;

    /**
     * From any thread: runs {@code action} on the simulation thread at its next round, at the virtual
     * time then ({@link #runHostPosts}). For the host telling a device that something it waits for
     * outside the simulation has come (console input typed into a pipe or terminal), whose timing
     * is the host's anyway; never for anything a run's inputs decide.
     */
    public void postFromHost(Runnable action) {
        hostPosts.add(action);
        posted = true;
    }

    /** On the simulation thread, between rounds: runs what other threads posted, in order. */
    public void runHostPosts() {
        if (!posted) {
            return;
        }
        posted = false;
        Runnable action;
        while ((action = hostPosts.poll()) != null) {
            action.run();
        }
    }

    /**
     * The current virtual time in nanoseconds. While a CPU runs a quantum this includes the time
     * its instructions have taken so far, so a device the CPU touches mid-quantum sees (and
     * schedules from) the instant of the access, not the start of the quantum.
     */
    public long now() {
        LongSupplier q = quantumElapsed;
        return q == null ? now : now + q.getAsLong();
    }

    /**
     * Marks the start of a CPU quantum: until {@link #endQuantum()}, {@link #now()} adds
     * {@code elapsed} (the quantum's virtual time so far). Events do not fire inside a quantum;
     * the run loop bounds the quantum by {@link #nextEventTime()} and advances afterwards.
     */
    public void beginQuantum(LongSupplier elapsed) {
        beginQuantum(elapsed, Long.MAX_VALUE, null);
    }

    /**
     * As {@link #beginQuantum(LongSupplier)}, for a quantum planned to end at {@code endNs}: an event
     * scheduled during the quantum for a time before {@code endNs} calls {@code breaker} (once), which
     * asks the running CPU to stop at its next instruction boundary, so the event fires on time
     * rather than at the end of the quantum.
     */
    public void beginQuantum(LongSupplier elapsed, long endNs, Runnable breaker) {
        if (quantumElapsed != null) {
            throw new IllegalStateException("a quantum is already running");
        }
        quantumElapsed = elapsed;
        quantumEnd = endNs;
        quantumBreaker = breaker;
    }

    /** Ends the quantum begun by {@link #beginQuantum}; the caller then advances the clock. */
    public void endQuantum() {
        quantumElapsed = null;
        quantumEnd = Long.MAX_VALUE;
        quantumBreaker = null;
    }

    /** Schedules {@code action} to run {@code delayNs} nanoseconds from now (0 = later at this instant). */
    public Event schedule(long delayNs, String name, Runnable action) {
        if (delayNs < 0) {
            throw new IllegalArgumentException("negative delay " + delayNs + " ns for event '" + name + "'");
        }
        return scheduleAt(now() + delayNs, name, action);
    }

    /** Schedules {@code action} at absolute virtual time {@code timeNs}, which must not be in the past. */
    public Event scheduleAt(long timeNs, String name, Runnable action) {
        if (timeNs < now()) {
            throw new IllegalArgumentException(
                    "event '" + name + "' scheduled at " + timeNs + " ns, before the current time " + now() + " ns");
        }
        Event e = new Event(timeNs, nextSequence++, name, action);
        queue.add(e);
        if (timeNs < quantumEnd && quantumBreaker != null) {
            Runnable b = quantumBreaker;
            quantumBreaker = null;
            b.run();
        }
        return e;
    }

    /** Cancels a pending event; returns false if it already fired or was cancelled. */
    public boolean cancel(Event event) {
        if (event == null || event.cancelled) {
            return false;
        }
        event.cancelled = true;
        return queue.remove(event);
    }

    /** Time of the earliest pending event, or {@link Long#MAX_VALUE} when there is none. */
    public long nextEventTime() {
        Event head = queue.peek();
        return head == null ? Long.MAX_VALUE : head.time;
    }

    /** Whether any event is pending. */
    public boolean hasPendingEvents() {
        return !queue.isEmpty();
    }

    /**
     * Advances the clock to {@code timeNs}, firing every event due at or before it, in order.
     * Events scheduled by callbacks for times within the window fire too.
     */
    public void advanceTo(long timeNs) {
        if (quantumElapsed != null) {
            throw new IllegalStateException("cannot advance the clock inside a CPU quantum");
        }
        if (timeNs < now) {
            throw new IllegalArgumentException("cannot move virtual time back from " + now + " to " + timeNs + " ns");
        }
        Event head;
        while ((head = queue.peek()) != null && head.time <= timeNs) {
            queue.poll();
            now = head.time;
            head.action.run();
        }
        now = timeNs;
    }

    /** Advances by {@code deltaNs} nanoseconds ({@link #advanceTo}); the tests' {@code clock_step}. */
    public void step(long deltaNs) {
        advanceTo(now + deltaNs);
    }

    /** Fires every event due now without moving the clock. */
    public void runDue() {
        advanceTo(now);
    }
}
