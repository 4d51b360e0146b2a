package brassboard.spark;

import brassboard.boards.campaign.CampaignException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Master URLs: checked before Spark sees them (Spark's own errors are a stack trace, or a
 * minute of retries against a master that is not there), and the cluster's address tried with a
 * short timeout.
 */
final class SparkMasters {
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,([1-9][0-9]*))?\\])?");
    private static final Pattern STANDALONE = Pattern.compile("spark://([^,/:]+|\\[[0-9a-fA-F:]+\\]):([0-9]{1,5})");
    static final String EXPECTED = "expected local[N], local[N,RETRIES], spark://HOST:PORT[,HOST:PORT...] or k8s://https://HOST:PORT";

    /** The default connect timeout, milliseconds ({@code -Dbrassboard.spark.connect-timeout-ms}). */
    static final int CONNECT_TIMEOUT_MS = 3000;

    private SparkMasters() {
    }

    static boolean isLocal(String master) {
        return LOCAL.matcher(master).matches();
    }

    /**
     * The addresses a master URL names (none for a local one).
     *
     * @throws CampaignException not a master URL this engine runs on: one line
     */
    static List<InetSocketAddress> addresses(String master) throws CampaignException {
        List<InetSocketAddress> out = new ArrayList<>();
        if (isLocal(master)) {
            return out;
        }
        String bad = "--master " + master + ": not a Spark master URL; " + EXPECTED;
        if (master.startsWith("spark://")) {
            for (String part : master.substring("spark://".length()).split(",", -1)) {
                Matcher m = STANDALONE.matcher("spark://" + part);
                if (!m.matches() || Integer.parseInt(m.group(2)) > 65535 || Integer.parseInt(m.group(2)) == 0) {
                    throw new CampaignException(bad);
                }
                out.add(InetSocketAddress.createUnresolved(m.group(1).replaceAll("^\\[|\\]$", ""), Integer.parseInt(m.group(2))));
            }
            return out;
        }
        if (master.startsWith("k8s://")) {
            String rest = master.substring("k8s://".length());
            URI api;
            try {
                api = new URI(rest.contains("://") ? rest : "https://" + rest);
            } catch (java.net.URISyntaxException e) {
                throw new CampaignException(bad);
            }
            if (api.getHost() == null || !(api.getScheme().equals("https") || api.getScheme().equals("http"))) {
                throw new CampaignException(bad);
            }
            int port = api.getPort() > 0 ? api.getPort() : api.getScheme().equals("https") ? 443 : 80;
            out.add(InetSocketAddress.createUnresolved(api.getHost(), port));
            return out;
        }
        throw new CampaignException(bad);
    }

    /**
     * Checks that one of the master's addresses takes a TCP connection within {@code timeoutMs}.
     *
     * @throws CampaignException none does: one line naming the address and why
     */
    static void reach(String master, List<InetSocketAddress> addresses, int timeoutMs) throws CampaignException {
        String why = "";
        for (InetSocketAddress a : addresses) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a.getHostString(), a.getPort()), timeoutMs);
                return;
            } catch (IOException | IllegalArgumentException | SecurityException e) {
                why = a.getHostString() + ":" + a.getPort() + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
            }
        }
        throw new CampaignException("--master " + master + ": cannot reach the cluster within " + timeoutMs + " ms: " + why
                + "; is the master running, and is the address right?");
    }
}
