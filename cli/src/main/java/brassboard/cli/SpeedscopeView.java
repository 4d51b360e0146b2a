package brassboard.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The speedscope viewer as {@code firmware/third-party/fetch-viewer.sh} unpacks it: where it is, the
 * {@code file:} address that opens a converted trace in it, and a load in headless Chromium that says
 * whether speedscope took the trace without an error.
 *
 * <p>speedscope is a static page; {@code index.html#localProfilePath=FILE.js} makes it add
 * {@code FILE.js} to the page as a script, and that script (written by {@code trace view}) hands it the
 * profile. No server and no network: the page works from the file system in any browser.
 */
final class SpeedscopeView {
    /** The version fetch-viewer.sh pins (its directory under the cache is named after it). */
    static final String VERSION = "1.25.0";
    static final String DIRECTORY = "speedscope-" + VERSION;
    /** The page, relative to the package directory. */
    static final Path INDEX = Path.of("dist", "release", "index.html");
    /** Where fetch-viewer.sh puts the package, relative to the project's root. */
    static final Path CACHE = Path.of("firmware", "third-party", "cache", DIRECTORY);
    /** What speedscope shows when an import fails (it logs the reason with console.log). */
    static final String FAILED = "Something went wrong";

    /** What a load showed: the page's title and text, what went wrong, and the URLs it requested. */
    record Load(boolean ready, String title, String text, List<String> problems, List<String> requests, byte[] png) {
        /** Every way the load can have failed, one line each; empty when speedscope showed the profile cleanly. */
        List<String> failures() {
            List<String> all = new ArrayList<>(problems);
            if (!ready) {
                all.add("speedscope showed no profile in time (title '" + title + "')");
            }
            if (text.contains(FAILED)) {
                all.add("speedscope says: " + FAILED + " (the import failed)");
            }
            for (String url : requests) {
                if (!(url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:") || url.equals("about:blank"))) {
                    all.add("the page asked the network for " + url + " (a viewer must work offline)");
                }
            }
            return all;
        }
    }

    private SpeedscopeView() {
    }

    /**
     * The speedscope package directory: {@code explicit} if given, else {@code BRASSBOARD_SPEEDSCOPE},
     * else the fetch script's cache beside the brassboard jar's project or under the working directory
     * (or its parent, where Maven runs a module's tests). Null if none has the page.
     */
    static Path locate(Path explicit) {
        if (explicit != null) {
            return Files.isRegularFile(explicit.resolve(INDEX)) ? explicit.toAbsolutePath().normalize() : null;
        }
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("BRASSBOARD_SPEEDSCOPE");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        try {
            Path jar = Path.of(SpeedscopeView.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // cli/target/brassboard.jar (or cli/target/classes): the project is two levels up from target
            Path project = jar.getParent() == null ? null : jar.getParent().getParent();
            if (project != null && project.getParent() != null) {
                candidates.add(project.getParent().resolve(CACHE));
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code source: the working directory is the rest of the search
        }
        Path here = Path.of("").toAbsolutePath();
        candidates.add(here.resolve(CACHE));
        if (here.getParent() != null) {
            candidates.add(here.getParent().resolve(CACHE));
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve(INDEX))) {
                return c.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /**
     * The address that opens {@code loader} (a script from {@code SpeedscopeExport.loaderScript}) in the
     * speedscope page under {@code viewer}; {@code view} is speedscope's view ({@code time-ordered},
     * {@code left-heavy}, {@code sandwich}) or null for its default.
     */
    static String url(Path viewer, Path loader, String view) {
        String page = viewer.resolve(INDEX).toAbsolutePath().normalize().toUri().toString();
        // speedscope decodes the value once and puts it after "file:///" as the script's address: hand it
        // the path already in URL form (spaces and the like percent-encoded), encoded once more for the hash.
        String path = loader.toAbsolutePath().normalize().toUri().getRawPath();
        String hash = "#localProfilePath=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
        if (view != null) {
            hash += "&view=" + view;
        }
        return page + hash;
    }

    /**
     * Opens {@code url} in {@code browser}, waits up to {@code timeout} for speedscope to show a profile
     * (its title becomes "NAME - speedscope") or its failure screen, and reports what it showed; with
     * {@code screenshot}, a PNG of the window too.
     */
    static Load load(HeadlessChromium browser, String url, Duration timeout, boolean screenshot) throws IOException {
        boolean ready = browser.open(url, "document.title.endsWith(' - speedscope') || (document.body && document.body.innerText.includes('"
                + FAILED + "'))", timeout);
        String title = browser.evaluate("document.title").asText("");
        ready &= title.endsWith(" - speedscope");
        String text = browser.text();
        byte[] png = screenshot ? browser.screenshot() : null;
        return new Load(ready, title, text, browser.problems(), browser.requests(), png);
    }
}
