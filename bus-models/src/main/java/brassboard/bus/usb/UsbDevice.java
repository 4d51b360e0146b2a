package brassboard.bus.usb;

import brassboard.bus.usb.Descriptor.Configuration;
import brassboard.bus.usb.Descriptor.Endpoint;
import brassboard.bus.usb.Descriptor.Interface;

/**
 * A USB device as the host controller sees it at the transaction level (USB 2.0 chapter 8-9): an
 * immutable {@link DescriptorSet}, handlers for its bulk/interrupt endpoints, and the state the
 * specification gives it — device state, address, configuration, alternate settings, per-endpoint
 * halt and data toggle.
 *
 * <p>Endpoint 0 runs control transfers (§8.5.3): {@link #setup} starts one; IN/OUT transactions on
 * endpoint 0 move the data stage and end with the status stage. Standard requests are answered
 * by {@link StandardRequests}; class and vendor requests go to the {@link ControlHandler}. A request
 * the device refuses stalls endpoint 0 until the next SETUP (a protocol stall, §8.4.5).
 *
 * <p>Data toggles (§8.6): the device keeps the toggle it expects on each OUT endpoint and the one
 * it sends on each IN endpoint. An OUT data packet with the wrong toggle is a retry of one already
 * taken: it is acknowledged and dropped. An IN data packet carries the device's toggle, which then
 * flips (the host controller accepts or discards the data; either way it acknowledges).
 */
public class UsbDevice {
    private static final int ENDPOINTS = 16;

    private final String name;
    private final DescriptorSet descriptors;
    private final ControlHandler control;
    private final BulkInHandler[] inHandlers = new BulkInHandler[ENDPOINTS];
    private final BulkOutHandler[] outHandlers = new BulkOutHandler[ENDPOINTS];
    // Per endpoint number 1-15, as the current configuration/alternate settings define them.
    private final Endpoint[] inEndpoints = new Endpoint[ENDPOINTS];
    private final Endpoint[] outEndpoints = new Endpoint[ENDPOINTS];
    private final boolean[] inHalted = new boolean[ENDPOINTS];
    private final boolean[] outHalted = new boolean[ENDPOINTS];
    private final int[] inToggle = new int[ENDPOINTS];
    private final int[] outToggle = new int[ENDPOINTS];
    private final int[] alternate = new int[256];

    private DeviceState state = DeviceState.DETACHED;
    private int address;
    private Configuration configuration;
    private boolean remoteWakeup;
    private final ControlPipe pipe = new ControlPipe();

    /**
     * A device named {@code name} (for traces) with these descriptors; {@code control} answers its
     * class and vendor requests ({@link ControlHandler#NONE} if it has none).
     */
    public UsbDevice(String name, DescriptorSet descriptors, ControlHandler control) {
        this.name = name;
        this.descriptors = descriptors;
        this.control = control;
    }

    /** Handles the bulk or interrupt IN endpoint {@code number} (1-15), which a configuration must declare. */
    public UsbDevice onIn(int number, BulkInHandler handler) {
        requireDeclared(number, true);
        inHandlers[number] = handler;
        return this;
    }

    /** Handles the bulk or interrupt OUT endpoint {@code number} (1-15), which a configuration must declare. */
    public UsbDevice onOut(int number, BulkOutHandler handler) {
        requireDeclared(number, false);
        outHandlers[number] = handler;
        return this;
    }

    private void requireDeclared(int number, boolean in) {
        for (Configuration c : descriptors.configurations()) {
            for (Interface i : c.interfaces()) {
                for (Endpoint e : i.endpoints()) {
                    if (e.number() == number && e.in() == in) {
                        return;
                    }
                }
            }
        }
        throw new IllegalArgumentException(name + ": no configuration declares endpoint " + number + (in ? " IN" : " OUT"));
    }

    public String name() {
        return name;
    }

    public DescriptorSet descriptors() {
        return descriptors;
    }

    public DeviceState state() {
        return state;
    }

    /** The device address (0 until SET_ADDRESS). */
    public int address() {
        return address;
    }

    /** The current bConfigurationValue, 0 when not configured. */
    public int configurationValue() {
        return configuration == null ? 0 : configuration.value();
    }

    /** Whether the device's IN ({@code in}) or OUT endpoint {@code number} is halted. */
    public boolean halted(int number, boolean in) {
        return number == 0 ? pipe.stalled : (in ? inHalted : outHalted)[number];
    }

    /** The toggle the device will send next on IN endpoint {@code number}, or expects next on OUT. */
    public int toggle(int number, boolean in) {
        return (in ? inToggle : outToggle)[number];
    }

    // ---- Bus events, from the port ----

    /** Plugged into a powered port: POWERED (§9.1.1.2); it answers nothing until a bus reset. */
    public void attach() {
        state = DeviceState.POWERED;
    }

    /** Unplugged (or dropped off the bus). */
    public void detach() {
        state = DeviceState.DETACHED;
        unconfigure();
        address = 0;
    }

    /** Whether it is plugged in. */
    public boolean attached() {
        return state != DeviceState.DETACHED;
    }

    /** A bus reset (§9.1.1.3): DEFAULT state, address 0, no configuration. */
    public void busReset() {
        if (state == DeviceState.DETACHED) {
            return;
        }
        state = DeviceState.DEFAULT;
        address = 0;
        remoteWakeup = false;
        unconfigure();
        pipe.reset();
    }

    /** Whether the device answers transactions addressed to {@code addr} (§9.1.1). */
    public boolean answers(int addr) {
        return (state == DeviceState.DEFAULT || state == DeviceState.ADDRESS || state == DeviceState.CONFIGURED)
                && addr == address;
    }

    // ---- Transactions ----

    /** A SETUP transaction to endpoint 0 with its eight data bytes. */
    public TransactionResult setup(byte[] packet) {
        if (packet.length != SetupPacket.SIZE) {
            return TransactionResult.error(TransactionResult.Error.CRC); // a malformed DATA0: no handshake
        }
        pipe.start(SetupPacket.parse(packet));
        return TransactionResult.ack();
    }

    /** An IN transaction on endpoint {@code number} asking for up to {@code maxBytes}. */
    public TransactionResult in(int number, int maxBytes) {
        if (number == 0) {
            return pipe.in(maxBytes);
        }
        Endpoint e = inEndpoints[number];
        BulkInHandler h = inHandlers[number];
        if (e == null || state != DeviceState.CONFIGURED) {
            return TransactionResult.stall();
        }
        if (inHalted[number]) {
            return TransactionResult.stall();
        }
        if (h == null) {
            return TransactionResult.nak();
        }
        int ask = Math.min(maxBytes, e.maxPacketSize());
        TransactionResult r = h.in(ask);
        switch (r.kind()) {
            case ACK -> {
                if (r.length() > ask) {
                    return TransactionResult.error(TransactionResult.Error.BABBLE);
                }
                int t = inToggle[number];
                inToggle[number] ^= 1;
                return r.withToggle(t);
            }
            case STALL -> inHalted[number] = true;
            default -> { }
        }
        return r;
    }

    /** An OUT transaction on endpoint {@code number}: the data packet, sent as DATA{@code toggle}. */
    public TransactionResult out(int number, int toggle, byte[] packet) {
        if (number == 0) {
            return pipe.out(packet);
        }
        Endpoint e = outEndpoints[number];
        BulkOutHandler h = outHandlers[number];
        if (e == null || state != DeviceState.CONFIGURED || outHalted[number]) {
            return TransactionResult.stall();
        }
        if (packet.length > e.maxPacketSize()) {
            return TransactionResult.error(TransactionResult.Error.BABBLE);
        }
        if (toggle != outToggle[number]) {
            return TransactionResult.ack(); // a retry of a packet already taken (§8.6.3): acknowledge, drop
        }
        if (h == null) {
            return TransactionResult.nak();
        }
        TransactionResult r = h.out(packet);
        switch (r.kind()) {
            case ACK -> outToggle[number] ^= 1;
            case STALL -> outHalted[number] = true;
            default -> { }
        }
        return r;
    }

    /** A high-speed PING to OUT endpoint {@code number} (§8.5.1): ACK, NAK or STALL. */
    public TransactionResult ping(int number) {
        if (number == 0) {
            return pipe.stalled ? TransactionResult.stall() : TransactionResult.ack();
        }
        if (outEndpoints[number] == null || state != DeviceState.CONFIGURED || outHalted[number]) {
            return TransactionResult.stall();
        }
        BulkOutHandler h = outHandlers[number];
        return h != null && h.ready() ? TransactionResult.ack() : TransactionResult.nak();
    }

    // ---- State changes for StandardRequests ----

    Configuration configuration() {
        return configuration;
    }

    boolean remoteWakeup() {
        return remoteWakeup;
    }

    void remoteWakeup(boolean on) {
        remoteWakeup = on;
    }

    /** The endpoint descriptor of a wIndex endpoint address in the current configuration, or null. */
    Endpoint endpoint(int endpointAddress) {
        int n = endpointAddress & 0x0F;
        return (endpointAddress & 0x80) != 0 ? inEndpoints[n] : outEndpoints[n];
    }

    void setAddressNow(int addr) {
        address = addr;
        state = addr == 0 ? DeviceState.DEFAULT : DeviceState.ADDRESS;
    }

    void setHalt(int endpointAddress, boolean halt) {
        int n = endpointAddress & 0x0F;
        boolean in = (endpointAddress & 0x80) != 0;
        if (halt) {
            (in ? inHalted : outHalted)[n] = true;
            return;
        }
        // §9.4.5: clearing ENDPOINT_HALT always resets the data toggle to DATA0.
        (in ? inHalted : outHalted)[n] = false;
        (in ? inToggle : outToggle)[n] = 0;
        if (in && inHandlers[n] != null) {
            inHandlers[n].haltCleared();
        } else if (!in && outHandlers[n] != null) {
            outHandlers[n].haltCleared();
        }
    }

    void configure(Configuration c) {
        unconfigure();
        if (c == null) {
            state = DeviceState.ADDRESS;
            return;
        }
        configuration = c;
        state = DeviceState.CONFIGURED;
        for (Interface i : c.interfaces()) {
            if (i.alternateSetting() == 0) {
                enable(i);
            }
        }
    }

    int alternate(int interfaceNumber) {
        return alternate[interfaceNumber & 0xFF];
    }

    /** Selects {@code alt} of interface {@code number}; its endpoints start over (halt clear, DATA0). */
    void selectAlternate(Interface current, Interface next) {
        for (Endpoint e : current.endpoints()) {
            disable(e);
        }
        alternate[next.number()] = next.alternateSetting();
        enable(next);
    }

    private void enable(Interface i) {
        for (Endpoint e : i.endpoints()) {
            (e.in() ? inEndpoints : outEndpoints)[e.number()] = e;
            setHalt(e.address(), false);
        }
    }

    private void disable(Endpoint e) {
        (e.in() ? inEndpoints : outEndpoints)[e.number()] = null;
    }

    private void unconfigure() {
        configuration = null;
        for (int n = 1; n < ENDPOINTS; n++) {
            inEndpoints[n] = null;
            outEndpoints[n] = null;
            inHalted[n] = false;
            outHalted[n] = false;
            inToggle[n] = 0;
            outToggle[n] = 0;
        }
        java.util.Arrays.fill(alternate, 0);
    }

    /**
     * Endpoint 0's control transfer state (USB 2.0 §8.5.3): SETUP, an optional data stage, and
     * the status stage in the opposite direction. A request is answered when its SETUP arrives
     * (device-to-host, or no data stage) or when the host asks for the status stage (host-to-
     * device with data). SET_ADDRESS takes effect after its status stage (§9.4.6).
     */
    private final class ControlPipe {
        private SetupPacket setup;
        private boolean stalled;
        private byte[] reply = new byte[0];
        private int sent;
        private byte[] received = new byte[0];
        private int receivedLength;
        private Runnable afterStatus;
        private boolean answered;
        /** The data stage's next IN toggle: DATA1 first (§8.5.3). */
        private int dataToggle;

        void reset() {
            setup = null;
            stalled = false;
            afterStatus = null;
        }

        void start(SetupPacket s) {
            setup = s;
            stalled = false;
            sent = 0;
            dataToggle = 1;
            afterStatus = null;
            answered = false;
            receivedLength = 0;
            received = new byte[s.deviceToHost() ? 0 : s.length()];
            if (s.deviceToHost() || s.length() == 0) {
                answer(new byte[0]);
            }
        }

        private void answer(byte[] data) {
            answered = true;
            TransactionResult r = s().type() == SetupPacket.TYPE_STANDARD
                    ? StandardRequests.handle(UsbDevice.this, s(), this::afterStatus)
                    : control.request(s(), data);
            if (r.kind() != TransactionResult.Kind.ACK) {
                stalled = true;
                return;
            }
            byte[] d = r.data();
            reply = d.length > s().length() ? java.util.Arrays.copyOf(d, s().length()) : d;
        }

        private SetupPacket s() {
            return setup;
        }

        private void afterStatus(Runnable action) {
            afterStatus = action;
        }

        TransactionResult in(int maxBytes) {
            if (setup == null || stalled) {
                return TransactionResult.stall();
            }
            if (setup.deviceToHost() && setup.length() > 0) {
                // Data stage: DATA1 first, then alternating (§8.5.3).
                int n = Math.min(Math.min(maxBytes, descriptors.device().maxPacketSize0()), reply.length - sent);
                if (n < 0) {
                    n = 0;
                }
                TransactionResult r = TransactionResult.data(reply, sent, n).withToggle(dataToggle);
                dataToggle ^= 1;
                sent += n;
                return r;
            }
            // Status stage of a host-to-device request: a zero-length DATA1.
            if (!answered) {
                answer(java.util.Arrays.copyOf(received, receivedLength));
                if (stalled) {
                    return TransactionResult.stall();
                }
            }
            finish();
            return TransactionResult.ack().withToggle(1);
        }

        TransactionResult out(byte[] packet) {
            if (setup == null || stalled) {
                return TransactionResult.stall();
            }
            if (setup.deviceToHost() || setup.length() == 0) {
                finish(); // status stage of a device-to-host request (zero-length OUT)
                return TransactionResult.ack();
            }
            int n = Math.min(packet.length, received.length - receivedLength);
            System.arraycopy(packet, 0, received, receivedLength, n);
            receivedLength += n;
            return TransactionResult.ack();
        }

        private void finish() {
            Runnable a = afterStatus;
            afterStatus = null;
            setup = null;
            if (a != null) {
                a.run();
            }
        }
    }
}
