package brassboard.devices.wifi;

/**
 * How many frames per second of host time the model sustains (a measurement, not a test): the
 * generator at 1 000 000 frames/s of virtual time into a 64-descriptor ring that a stand-in driver
 * empties every 32 frames (no tracing), with ITR moderation on, plus the same number of frames transmitted.
 * Run: {@code java -cp devices/target/classes:devices/target/test-classes:bus-models/target/classes brassboard.devices.wifi.WifiThroughput}
 */
public final class WifiThroughput {
    private WifiThroughput() {
    }

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        for (int round = 0; round < 3; round++) {
            WifiRig rig = new WifiRig(6, Air.generator(1_000_000, size, 1, Long.MAX_VALUE, 1_000_000), null, false);
            rig.booted();
            rig.tune(6);
            rig.calibrate();
            rig.rxRing(64);
            rig.write(WifiBaseband.ITR, 1000);
            rig.write(WifiBaseband.IMS, WifiBaseband.RXT0);
            long virtualNs = 1_000_000_000L; // one virtual second: 10^6 frames
            long t0 = System.nanoTime();
            long stepped = 0;
            while (stepped < virtualNs) {
                rig.step(32_000); // 32 frames
                stepped += 32_000;
                rig.read(WifiBaseband.ICR);
                rig.write(WifiBaseband.RDT, (rig.read(WifiBaseband.RDH) + 63) % 64);
            }
            long rxNs = System.nanoTime() - t0;
            long delivered = rig.air.framesDelivered();
            long missed = rig.read(WifiBaseband.RFMISS);
            long overruns = rig.read(WifiBaseband.MPC);
            // TX: 20 000 frames of `size` bytes through an 8-descriptor ring, in a quiet air
            rig = new WifiRig(6, null, null, false);
            rig.booted();
            rig.tune(6);
            rig.txRing(8);
            rig.ramLoad(WifiRig.TX_BUFFERS, Air.frame(0, size, 0));
            long t1 = System.nanoTime();
            int sent = 0;
            for (int i = 0; i < 20_000; i++) {
                int tdt = rig.read(WifiBaseband.TDT);
                rig.txDescriptor(tdt, WifiRig.TX_BUFFERS, size, WifiBaseband.TDESC_CMD_EOP | WifiBaseband.TDESC_CMD_RS);
                rig.write(WifiBaseband.TDT, (tdt + 1) % 8);
                rig.step(WifiTx.airtimeNs(size));
                sent++;
            }
            long txNs = System.nanoTime() - t1;
            System.out.printf("round %d: RX %d frames of %d bytes in %.3f s host = %.0f frames/s (missed %d, overruns %d); "
                            + "TX %d frames in %.3f s host = %.0f frames/s (%d on the air)%n",
                    round, delivered, size, rxNs / 1e9, delivered / (rxNs / 1e9), missed, overruns,
                    sent, txNs / 1e9, sent / (txNs / 1e9), rig.sent.size());
        }
    }
}
