package brassboard.bus.usb;

import static brassboard.bus.usb.SetupPacket.RECIPIENT_DEVICE;
import static brassboard.bus.usb.SetupPacket.RECIPIENT_ENDPOINT;
import static brassboard.bus.usb.SetupPacket.RECIPIENT_INTERFACE;

import brassboard.bus.usb.Descriptor.Configuration;
import brassboard.bus.usb.Descriptor.Interface;
import java.util.function.Consumer;

/**
 * The standard device requests of USB 2.0 §9.4, answered in one place for every {@link UsbDevice}.
 * A request that is not valid in the device's state, names something that does not exist, or is
 * not supported (SET_DESCRIPTOR, SYNCH_FRAME, TEST_MODE; OTHER_SPEED_CONFIGURATION of a device with
 * none) gets a Request
 * Error: STALL (§9.4, §8.5.3.4).
 */
final class StandardRequests {
    private StandardRequests() {
    }

    /**
     * Answers {@code s} for {@code d}: data (for a device-to-host request, before cutting to
     * wLength), an empty ACK, or STALL. {@code afterStatus} receives an action to run once the
     * status stage is over (SET_ADDRESS).
     */
    static TransactionResult handle(UsbDevice d, SetupPacket s, Consumer<Runnable> afterStatus) {
        return switch (s.request()) {
            case SetupPacket.GET_STATUS -> getStatus(d, s);
            case SetupPacket.CLEAR_FEATURE -> feature(d, s, false);
            case SetupPacket.SET_FEATURE -> feature(d, s, true);
            case SetupPacket.SET_ADDRESS -> setAddress(d, s, afterStatus);
            case SetupPacket.GET_DESCRIPTOR -> getDescriptor(d, s);
            case SetupPacket.GET_CONFIGURATION -> s.deviceToHost() && d.state() != DeviceState.DEFAULT
                    ? TransactionResult.data(new byte[] {(byte) d.configurationValue()}) : TransactionResult.stall();
            case SetupPacket.SET_CONFIGURATION -> setConfiguration(d, s);
            case SetupPacket.GET_INTERFACE -> getInterface(d, s);
            case SetupPacket.SET_INTERFACE -> setInterface(d, s);
            default -> TransactionResult.stall(); // SET_DESCRIPTOR, SYNCH_FRAME, reserved codes
        };
    }

    private static boolean addressedOrConfigured(UsbDevice d) {
        return d.state() == DeviceState.ADDRESS || d.state() == DeviceState.CONFIGURED;
    }

    /** The interface descriptor for wIndex's interface in its current alternate setting (configured state only). */
    private static Interface currentInterface(UsbDevice d, int number) {
        Configuration c = d.configuration();
        if (c == null) {
            return null;
        }
        for (Interface i : c.interfaces()) {
            if (i.number() == number && i.alternateSetting() == d.alternate(number)) {
                return i;
            }
        }
        return null;
    }

    /** Whether wIndex names endpoint 0 or an endpoint of the current configuration (§9.4: only endpoint 0 in the Address state). */
    private static boolean endpointExists(UsbDevice d, int endpointAddress) {
        if ((endpointAddress & 0x0F) == 0) {
            return true;
        }
        return d.state() == DeviceState.CONFIGURED && d.endpoint(endpointAddress) != null;
    }

    // §9.4.5
    private static TransactionResult getStatus(UsbDevice d, SetupPacket s) {
        if (!s.deviceToHost() || s.value() != 0 || s.length() != 2 || !addressedOrConfigured(d)) {
            return TransactionResult.stall();
        }
        int status;
        switch (s.recipient()) {
            case RECIPIENT_DEVICE -> {
                Configuration c = d.configuration() != null ? d.configuration() : d.descriptors().configurations().get(0);
                status = (c.selfPowered() ? 1 : 0) | (d.remoteWakeup() ? 2 : 0);
            }
            case RECIPIENT_INTERFACE -> {
                if (currentInterface(d, s.index() & 0xFF) == null) {
                    return TransactionResult.stall();
                }
                status = 0;
            }
            case RECIPIENT_ENDPOINT -> {
                int ep = s.index() & 0x8F;
                if (!endpointExists(d, ep)) {
                    return TransactionResult.stall();
                }
                status = d.halted(ep & 0x0F, (ep & 0x80) != 0) ? 1 : 0;
            }
            default -> {
                return TransactionResult.stall();
            }
        }
        return TransactionResult.data(new byte[] {(byte) status, 0});
    }

    // §9.4.1 CLEAR_FEATURE, §9.4.9 SET_FEATURE
    private static TransactionResult feature(UsbDevice d, SetupPacket s, boolean set) {
        if (s.deviceToHost() || s.length() != 0 || !addressedOrConfigured(d)) {
            return TransactionResult.stall();
        }
        if (s.recipient() == RECIPIENT_ENDPOINT && s.value() == SetupPacket.ENDPOINT_HALT) {
            int ep = s.index() & 0x8F;
            if (!endpointExists(d, ep)) {
                return TransactionResult.stall();
            }
            if ((ep & 0x0F) != 0) {
                d.setHalt(ep, set);
            }
            return TransactionResult.ack();
        }
        if (s.recipient() == RECIPIENT_DEVICE && s.value() == SetupPacket.DEVICE_REMOTE_WAKEUP) {
            d.remoteWakeup(set);
            return TransactionResult.ack();
        }
        return TransactionResult.stall(); // TEST_MODE (not modelled), interface features (none in USB 2.0)
    }

    // §9.4.6
    private static TransactionResult setAddress(UsbDevice d, SetupPacket s, Consumer<Runnable> afterStatus) {
        int addr = s.value();
        if (s.deviceToHost() || s.index() != 0 || s.length() != 0 || addr > 127 || d.state() == DeviceState.CONFIGURED) {
            return TransactionResult.stall();
        }
        afterStatus.accept(() -> d.setAddressNow(addr));
        return TransactionResult.ack();
    }

    // §9.4.3
    private static TransactionResult getDescriptor(UsbDevice d, SetupPacket s) {
        if (!s.deviceToHost()) {
            return TransactionResult.stall();
        }
        DescriptorSet set = d.descriptors();
        int type = s.value() >>> 8;
        int index = s.value() & 0xFF;
        return switch (type) {
            case Descriptor.DEVICE -> TransactionResult.data(set.device().bytes());
            case Descriptor.CONFIGURATION -> index < set.configurations().size()
                    ? TransactionResult.data(set.configurations().get(index).bytes()) : TransactionResult.stall();
            case Descriptor.STRING -> string(set, index, s.index());
            case Descriptor.DEVICE_QUALIFIER -> set.qualifier().map(q -> TransactionResult.data(q.bytes()))
                    .orElse(TransactionResult.stall());
            case Descriptor.OTHER_SPEED_CONFIGURATION -> index < set.otherSpeedConfigurations().size()
                    ? TransactionResult.data(set.otherSpeedConfigurations().get(index).bytes(Descriptor.OTHER_SPEED_CONFIGURATION))
                    : TransactionResult.stall();
            default -> TransactionResult.stall(); // INTERFACE/ENDPOINT (not directly readable)
        };
    }

    private static TransactionResult string(DescriptorSet set, int index, int langId) {
        if (index == 0) {
            return TransactionResult.data(set.languages().bytes());
        }
        if (index > set.strings().size() || set.strings().get(index - 1) == null
                || !set.languages().langIds().contains(langId)) {
            return TransactionResult.stall();
        }
        return TransactionResult.data(new Descriptor.Text(set.strings().get(index - 1)).bytes());
    }

    // §9.4.7
    private static TransactionResult setConfiguration(UsbDevice d, SetupPacket s) {
        int value = s.value() & 0xFF;
        if (s.deviceToHost() || s.index() != 0 || s.length() != 0 || !addressedOrConfigured(d)) {
            return TransactionResult.stall();
        }
        if (value == 0) {
            d.configure(null);
            return TransactionResult.ack();
        }
        Configuration c = d.descriptors().configurationByValue(value).orElse(null);
        if (c == null) {
            return TransactionResult.stall();
        }
        d.configure(c);
        return TransactionResult.ack();
    }

    // §9.4.4
    private static TransactionResult getInterface(UsbDevice d, SetupPacket s) {
        if (!s.deviceToHost() || s.value() != 0 || s.length() != 1 || d.state() != DeviceState.CONFIGURED
                || currentInterface(d, s.index() & 0xFF) == null) {
            return TransactionResult.stall();
        }
        return TransactionResult.data(new byte[] {(byte) d.alternate(s.index() & 0xFF)});
    }

    // §9.4.10
    private static TransactionResult setInterface(UsbDevice d, SetupPacket s) {
        if (s.deviceToHost() || s.length() != 0 || d.state() != DeviceState.CONFIGURED) {
            return TransactionResult.stall();
        }
        int number = s.index() & 0xFF;
        Interface current = currentInterface(d, number);
        if (current == null) {
            return TransactionResult.stall();
        }
        for (Interface i : d.configuration().interfaces()) {
            if (i.number() == number && i.alternateSetting() == s.value()) {
                d.selectAlternate(current, i);
                return TransactionResult.ack();
            }
        }
        return TransactionResult.stall();
    }
}
