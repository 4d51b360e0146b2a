package brassboard.boards.board;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The device types board files may name. {@link #standard()} holds the project's own; a model
 * from elsewhere plugs in by implementing {@link Provider} and listing itself in
 * {@code META-INF/services/brassboard.boards.board.Catalogue$Provider}.
 */
public final class Catalogue {
    /** A source of device types (a device module's models). */
    public interface Provider {
        List<DeviceType> types();
    }

    private static final Catalogue STANDARD = build();

    private final Map<String, DeviceType> types = new LinkedHashMap<>();

    private Catalogue() {
    }

    /** The project's device types and every {@link Provider}'s. */
    public static Catalogue standard() {
        return STANDARD;
    }

    private static Catalogue build() {
        Catalogue c = new Catalogue();
        List<DeviceType> all = new ArrayList<>();
        all.addAll(SystemDevices.types());
        all.addAll(PeripheralDevices.types());
        all.addAll(PcieDevices.types());
        all.addAll(UsbDevices.types());
        for (Provider p : ServiceLoader.load(Provider.class, Catalogue.class.getClassLoader())) {
            all.addAll(p.types());
        }
        for (DeviceType t : all) {
            if (c.types.putIfAbsent(t.name(), t) != null) {
                throw new IllegalStateException("device type " + t.name() + " is registered twice");
            }
        }
        return c;
    }

    public Optional<DeviceType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** The types' names, in registration order. */
    public List<String> names() {
        return List.copyOf(types.keySet());
    }

    public Collection<DeviceType> types() {
        return types.values();
    }
}
