package brassboard.bus.usb;

import java.util.List;
import java.util.Optional;

/**
 * Everything a device answers GET_DESCRIPTOR with: its device descriptor, configurations (by
 * index), strings (index 1 is {@code strings.get(0)}; a null entry is an index the device has no
 * string for, and GET_DESCRIPTOR(STRING) of it stalls), the LANGID table of string zero, and the
 * device qualifier of a high-speed capable device (absent: the request stalls, as a device that
 * only runs at full speed does, USB 2.0 §9.6.2), and the configurations it would have at the other
 * speed, answered to GET_DESCRIPTOR(OTHER_SPEED_CONFIGURATION) with descriptor type 7 (§9.6.4; none:
 * the request stalls).
 */
public record DescriptorSet(Descriptor.Device device, List<Descriptor.Configuration> configurations,
                            Descriptor.Languages languages, List<String> strings,
                            Optional<Descriptor.DeviceQualifier> qualifier,
                            List<Descriptor.Configuration> otherSpeedConfigurations) {
    /** A set without other-speed configurations (GET_DESCRIPTOR(OTHER_SPEED_CONFIGURATION) stalls). */
    public DescriptorSet(Descriptor.Device device, List<Descriptor.Configuration> configurations,
                         Descriptor.Languages languages, List<String> strings,
                         Optional<Descriptor.DeviceQualifier> qualifier) {
        this(device, configurations, languages, strings, qualifier, List.of());
    }

    public DescriptorSet {
        configurations = List.copyOf(configurations);
        strings = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(strings)); // null: no such string
        otherSpeedConfigurations = List.copyOf(otherSpeedConfigurations);
        if (!otherSpeedConfigurations.isEmpty() && qualifier.isEmpty()) {
            throw new IllegalArgumentException("other-speed configurations need a device qualifier (USB 2.0 §9.6.4)");
        }
        if (configurations.size() != device.numConfigurations()) {
            throw new IllegalArgumentException("bNumConfigurations is " + device.numConfigurations() + " but "
                    + configurations.size() + " configurations are given");
        }
        int[] indices = {device.iManufacturer(), device.iProduct(), device.iSerialNumber()};
        for (int i : indices) {
            if (i > strings.size() || (i > 0 && strings.get(i - 1) == null)) {
                throw new IllegalArgumentException("string index " + i + " named in the device descriptor, but only "
                        + strings.size() + " strings are given");
            }
        }
    }

    /** The configuration whose bConfigurationValue is {@code value}, if any. */
    public Optional<Descriptor.Configuration> configurationByValue(int value) {
        return configurations.stream().filter(c -> c.value() == value).findFirst();
    }
}
