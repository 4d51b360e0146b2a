package brassboard.spark;

import brassboard.boards.campaign.Campaign;
import brassboard.boards.campaign.CampaignException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Spark task needs to build a campaign's machines: the campaign file's text, the directory
 * its relative paths resolve against, and every file it names (image, plan files, USB disks,
 * pcaps) by path and SHA-256. The files' bytes travel apart, in a broadcast, and only when the
 * workers may not share the driver's disk (any master but {@code local}).
 *
 * @param yaml    the campaign file's text
 * @param source  its path as the user gave it (for messages, and its name)
 * @param baseDir the directory relative paths in it resolve against
 * @param files   every file it names: absolute path on the driver to SHA-256, in the order read
 */
record CampaignBundle(String yaml, String source, String baseDir, LinkedHashMap<String, String> files) implements Serializable {
    /**
     * Reads the campaign file again, noting every file it names, and checks that it still gives
     * the campaign being run.
     *
     * @throws CampaignException the campaign was not read from a file, or the file changed
     */
    static CampaignBundle of(Campaign campaign) throws CampaignException {
        Path file = Path.of(campaign.source());
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new CampaignException(campaign.source() + ": the Spark engine ships the campaign file to its workers, and cannot read it: " + e.getMessage());
        }
        List<Path> named = new ArrayList<>();
        Campaign again = Campaign.load(file, p -> {
            named.add(p);
            return p;
        });
        Map<String, Boolean> ids = new HashMap<>();
        again.runs().forEach(s -> ids.put(s.id(), Boolean.TRUE));
        for (var s : campaign.runs()) {
            if (!ids.containsKey(s.id())) {
                throw new CampaignException(campaign.source() + ": changed while the campaign was starting (run " + s.id() + " is gone); start again");
            }
        }
        LinkedHashMap<String, String> files = new LinkedHashMap<>();
        for (Path p : named) {
            if (Files.isRegularFile(p) && !files.containsKey(p.toString())) {
                files.put(p.toString(), sha256(p));
            }
        }
        return new CampaignBundle(yaml, campaign.source(), file.toAbsolutePath().getParent().toString(), files);
    }

    /** The files' bytes by path, for a broadcast to workers without the driver's disk. */
    HashMap<String, byte[]> contents() throws CampaignException {
        HashMap<String, byte[]> bytes = new HashMap<>();
        for (String p : files.keySet()) {
            try {
                bytes.put(p, Files.readAllBytes(Path.of(p)));
            } catch (IOException | OutOfMemoryError e) {
                throw new CampaignException(p + ": cannot read it to ship it to the Spark workers: " + e
                        + "; put the campaign's files on storage every worker sees and use the same paths");
            }
        }
        return bytes;
    }

    /** A key naming this bundle with this golden output: equal keys, equal campaigns. */
    String key(byte[] goldenOutput) {
        StringBuilder b = new StringBuilder(yaml).append('\0').append(source).append('\0').append(baseDir);
        files.forEach((p, d) -> b.append('\0').append(p).append('=').append(d));
        MessageDigest md = sha256();
        md.update(b.toString().getBytes(StandardCharsets.UTF_8));
        md.update(goldenOutput);
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(Path file) throws CampaignException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new CampaignException(file + ": cannot read it: " + e.getMessage());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
