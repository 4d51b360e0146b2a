package brassboard.boards.api;

import brassboard.devices.wifi.Air;
import brassboard.devices.wifi.WifiChannels;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The WiFi pair on the board ({@code --wifi}, docs/devices/wifi.md "The air and the command line"):
 * the air channel, where received frames come from (a pcap file, or a seeded generator at a rate),
 * and where transmitted frames go.
 *
 * @param channel   the air channel the traffic is on
 * @param rxPcap    frames from this pcap file, or
 * @param rxRate    frames from the generator, this many per second of virtual time
 * @param rxSize    generated frame size in bytes
 * @param rxSeed    the generator's seed
 * @param rxCount   generated frames in all ({@link Long#MAX_VALUE}: no end)
 * @param rxStartNs when the traffic starts
 * @param txPcap    transmitted frames are written here
 */
public record WifiAttachment(int channel, Optional<Path> rxPcap, OptionalLong rxRate, int rxSize, long rxSeed, long rxCount,
                             long rxStartNs, Optional<Path> txPcap) {
    /** The syntax, for messages. */
    public static final String SYNTAX = "channel=N[,rx=FILE.pcap|,rx-rate=R[,rx-size=B][,rx-seed=S][,rx-count=K]][,rx-start=T][,tx=FILE.pcap]";
    public static final int DEFAULT_CHANNEL = 6;
    public static final int DEFAULT_SIZE = 256;
    /** The generator's fastest rate (frames per second). */
    public static final long MAX_RATE = 10_000_000;

    /** A quiet air on the default channel. */
    public static WifiAttachment quiet() {
        return new WifiAttachment(DEFAULT_CHANNEL, Optional.empty(), OptionalLong.empty(), DEFAULT_SIZE, 0, Long.MAX_VALUE, 0, Optional.empty());
    }

    /**
     * Parses {@code --wifi}'s argument, {@value #SYNTAX} (keys in any order, each once).
     *
     * @throws ConfigException one line naming {@code --wifi}, the key, what is wrong and what was expected
     */
    public static WifiAttachment parse(String spec) throws ConfigException {
        String where = "--wifi " + spec + ": ";
        int channel = DEFAULT_CHANNEL;
        Optional<Path> rx = Optional.empty();
        OptionalLong rate = OptionalLong.empty();
        int size = DEFAULT_SIZE;
        long seed = 0;
        long count = Long.MAX_VALUE;
        long start = 0;
        Optional<Path> tx = Optional.empty();
        Set<String> seen = new HashSet<>();
        boolean generatorOption = false;
        for (String part : spec.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(where + "'" + part + "' is not KEY=VALUE; expected " + SYNTAX);
            }
            String key = part.substring(0, eq);
            String value = part.substring(eq + 1);
            if (!seen.add(key)) {
                throw new ConfigException(where + key + "= given twice; expected each key once");
            }
            if (value.isEmpty()) {
                throw new ConfigException(where + key + "= has no value; expected " + SYNTAX);
            }
            switch (key) {
                case "channel" -> {
                    channel = (int) number(where, key, value, 1, 165);
                    if (WifiChannels.frequencyMhz(channel) < 0) {
                        throw new ConfigException(where + "channel " + channel + " is not a WiFi channel; expected " + WifiChannels.VALID);
                    }
                }
                case "rx" -> rx = Optional.of(Path.of(value));
                case "tx" -> tx = Optional.of(Path.of(value));
                case "rx-rate" -> rate = OptionalLong.of(number(where, key, value.endsWith("/s") ? value.substring(0, value.length() - 2) : value, 1, MAX_RATE));
                case "rx-size" -> {
                    size = (int) number(where, key, value, Air.GENERATED_HEADER, Air.MAX_FRAME);
                    generatorOption = true;
                }
                case "rx-seed" -> {
                    seed = number(where, key, value, Long.MIN_VALUE, Long.MAX_VALUE);
                    generatorOption = true;
                }
                case "rx-count" -> {
                    count = number(where, key, value, 1, Long.MAX_VALUE);
                    generatorOption = true;
                }
                case "rx-start" -> {
                    try {
                        start = Quantities.durationNs(value);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(where + "rx-start: " + e.getMessage());
                    }
                }
                default -> throw new ConfigException(where + "unknown key '" + key + "'; expected " + SYNTAX);
            }
        }
        if (rx.isPresent() && rate.isPresent()) {
            throw new ConfigException(where + "rx= and rx-rate= exclude each other; expected frames from a file or from the generator");
        }
        if (generatorOption && rate.isEmpty()) {
            throw new ConfigException(where + "rx-size, rx-seed and rx-count configure the generator; expected rx-rate=R with them");
        }
        return new WifiAttachment(channel, rx, rate, size, seed, count, start, tx);
    }

    private static long number(String where, String key, String value, long min, long max) throws ConfigException {
        long n;
        try {
            n = value.startsWith("0x") ? Long.parseUnsignedLong(value.substring(2).replace("_", ""), 16) : Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(where + key + " '" + value + "' is not a number; expected " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw new ConfigException(where + key + " " + n + " is out of range; expected " + min + " to " + max);
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("channel=" + channel);
        rxPcap.ifPresent(p -> b.append(",rx=").append(p));
        if (rxRate.isPresent()) {
            b.append(",rx-rate=").append(rxRate.getAsLong()).append(",rx-size=").append(rxSize).append(",rx-seed=").append(rxSeed);
            if (rxCount != Long.MAX_VALUE) {
                b.append(",rx-count=").append(rxCount);
            }
        }
        if (rxStartNs != 0) {
            b.append(",rx-start=").append(rxStartNs).append("ns");
        }
        txPcap.ifPresent(p -> b.append(",tx=").append(p));
        return b.toString();
    }
}
