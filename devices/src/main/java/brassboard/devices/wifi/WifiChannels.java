package brassboard.devices.wifi;

/**
 * IEEE 802.11 channel numbers and their centre frequencies: 2.4 GHz channels 1-13 at 2407 + 5c MHz
 * and 14 at 2484 MHz; the 20 MHz 5 GHz channels 36-64, 100-144 and 149-165 (steps of 4) at 5000 + 5c MHz.
 */
public final class WifiChannels {
    /** The valid channels, in words, for messages. */
    public static final String VALID = "1-14, or 36-64, 100-144, 149-165 in steps of 4";

    private WifiChannels() {
    }

    /** The channel's centre frequency in MHz, or -1 when {@code channel} is not one of {@link #VALID}. */
    public static int frequencyMhz(int channel) {
        if (channel >= 1 && channel <= 13) {
            return 2407 + 5 * channel;
        }
        if (channel == 14) {
            return 2484;
        }
        boolean fiveGhz = channel % 4 == 0 && (channel >= 36 && channel <= 64 || channel >= 100 && channel <= 144)
                || (channel - 149) % 4 == 0 && channel >= 149 && channel <= 165;
        return fiveGhz ? 5000 + 5 * channel : -1;
    }

    /** The channel's centre frequency in Hz. */
    public static long frequencyHz(int channel) {
        int mhz = frequencyMhz(channel);
        if (mhz < 0) {
            throw new IllegalArgumentException("channel " + channel + " is not a WiFi channel; expected " + VALID);
        }
        return mhz * 1_000_000L;
    }

    /**
     * The RF synthesizer word for {@code channel} (docs/devices/wifi.md): the divider D and the five bytes
     * N_int low, N_int high, N_frac low, middle, high, as the RF's registers 0x231-0x235 (or 0x271-0x275) hold them.
     *
     * @return {D, byte0, byte1, byte2, byte3, byte4}
     */
    public static int[] synthesizerWord(int channel) {
        long fKhz = frequencyHz(channel) / 1000;
        int d = fKhz < 3_000_000 ? 1 : 0;
        long vcoKhz = fKhz << (d + 1);
        long refKhz = RfTransceiver.REFERENCE_HZ / 1000;
        long nInt = vcoKhz / refKhz;
        long nFrac = (2 * (vcoKhz % refKhz) * RfTransceiver.MODULUS + refKhz) / (2 * refKhz);
        return new int[] {d, (int) (nInt & 0xFF), (int) (nInt >>> 8), (int) (nFrac & 0xFF), (int) ((nFrac >>> 8) & 0xFF), (int) (nFrac >>> 16)};
    }
}
