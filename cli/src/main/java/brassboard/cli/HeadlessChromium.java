package brassboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium driven through the Chrome DevTools Protocol (a WebSocket of JSON messages):
 * opens a page, waits until a condition holds in it, reads its DOM text, takes a screenshot, and
 * records everything that went wrong on the way — exceptions, console errors and warnings, dialogs
 * ({@code alert}), resources that failed to load, and any request that would leave the machine (the
 * network is switched off: a viewer must work offline).
 *
 * <p>The browser runs with its own empty profile in a temporary directory, removed on {@link #close()}.
 */
final class HeadlessChromium implements AutoCloseable {
    /** The binaries looked for on the PATH, in order (Debian's package installs {@code chromium}). */
    static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    /** Dialogs and failed loads since the page was last opened: either ends the wait for it. */
    private final AtomicInteger stoppers = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** Orders the sends: see {@link #sendText}. */
    private final Object sendLock = new Object();
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    private final List<String> problems = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();

    /** Chromium on the PATH ({@link #NAMES}), or {@code null}. */
    static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : NAMES) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Starts {@code binary} headless with a {@code width} x {@code height} window, on a blank page, network off. */
    static HeadlessChromium start(Path binary, int width, int height) throws IOException {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("window " + width + "x" + height);
        }
        Path profile = Files.createTempDirectory("brassboard-chromium");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--disable-gpu",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-extensions",
                "--disable-sync", "--disable-component-update", "--hide-scrollbars", "--mute-audio",
                // a page opened from a file may load scripts from other files (speedscope loads the trace so)
                "--allow-file-access-from-files"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--no-sandbox"); // Chromium refuses to run as root with its sandbox
        }
        command.add("about:blank");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return new HeadlessChromium(process, profile, width, height);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    private HeadlessChromium(Process process, Path profile, int width, int height) throws IOException {
        this.process = process;
        this.profile = profile;
        CompletableFuture<String> browserUrl = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        browserUrl.complete(m.group(1));
                    }
                    synchronized (stderr) {
                        if (stderr.size() < 200) {
                            stderr.add(line);
                        }
                    }
                }
            } catch (IOException e) {
                // the browser went away; whoever waits is told below
            }
            browserUrl.complete(null);
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        String ws;
        try {
            ws = browserUrl.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while Chromium started");
        } catch (ExecutionException | TimeoutException e) {
            ws = null;
        }
        if (ws == null) {
            throw new IOException("Chromium did not open its DevTools port within " + START_TIMEOUT.toSeconds() + " s: " + lastStderr());
        }
        // The page target (the about:blank tab) is listed by the browser's HTTP endpoint.
        URI browser = URI.create(ws);
        HttpClient http = HttpClient.newHttpClient();
        String page = null;
        try {
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + browser.getAuthority() + "/json/list")).timeout(COMMAND_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : json.readTree(list.body())) {
                if ("page".equals(target.path("type").asText()) && page == null) {
                    page = target.path("webSocketDebuggerUrl").asText(null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking Chromium for its page");
        }
        if (page == null) {
            throw new IOException("Chromium lists no page to drive at " + browser.getAuthority());
        }
        try {
            socket = http.newWebSocketBuilder().connectTimeout(COMMAND_TIMEOUT).buildAsync(URI.create(page), new Listener())
                    .get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to Chromium");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot connect to Chromium's page at " + page + ": " + e);
        }
        send("Runtime.enable", null);
        send("Log.enable", null);
        send("Page.enable", null);
        send("Network.enable", null);
        ObjectNode offline = json.createObjectNode().put("offline", true).put("latency", 0)
                .put("downloadThroughput", -1).put("uploadThroughput", -1);
        send("Network.emulateNetworkConditions", offline);
        // the page gets exactly the size asked for (a headless window's own size includes no-one's toolbars,
        // but its viewport is not always all of it)
        send("Emulation.setDeviceMetricsOverride", json.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    /**
     * Opens {@code url} and waits (up to {@code timeout}) until the JavaScript expression {@code ready}
     * is true in the page; then lets two animation frames draw. Returns false if it never became true,
     * or as soon as the page opens a dialog (it then waits for a person, who is not there) or a
     * resource fails to load (the page may wait for it forever).
     */
    boolean open(String url, String ready, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Through a blank page first: from a page at the same address with another #fragment, Chromium
        // would only change the fragment, and the page would not load again.
        send("Page.navigate", json.createObjectNode().put("url", "about:blank"));
        while (!evaluate("location.href === 'about:blank'").asBoolean(false)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause(url);
        }
        synchronized (problems) {
            problems.clear();
        }
        synchronized (requests) {
            requests.clear();
        }
        stoppers.set(0);
        send("Page.navigate", json.createObjectNode().put("url", url));
        while (System.nanoTime() < deadline && stoppers.get() == 0) {
            if (evaluate("!!(" + ready + ")").asBoolean(false)) {
                evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))");
                return true;
            }
            pause(url);
        }
        return false;
    }

    private static void pause(String url) throws IOException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + url);
        }
    }

    /** The value of a JavaScript expression in the page (promises awaited); a thrown error is an IOException. */
    JsonNode evaluate(String expression) throws IOException {
        JsonNode r = send("Runtime.evaluate", json.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IOException("JavaScript error in " + expression + ": " + r.get("exceptionDetails").path("exception").path("description").asText(
                    r.get("exceptionDetails").path("text").asText()));
        }
        return r.path("result").path("value");
    }

    /** The page's visible text ({@code document.body.innerText}). */
    String text() throws IOException {
        return evaluate("document.body ? document.body.innerText : ''").asText("");
    }

    /** The page as a PNG of the window's size. */
    byte[] screenshot() throws IOException {
        JsonNode r = send("Page.captureScreenshot", json.createObjectNode().put("format", "png"));
        return Base64.getDecoder().decode(r.path("data").asText());
    }

    /** What went wrong in the page since it was opened, one line each, in order. */
    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** The URL of every request the page made since it was opened (file:, data:, blob: stay on this machine). */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        try {
            CompletableFuture<?> closing;
            synchronized (sendLock) { // after any send still going out
                closing = lastSend.handle((done, failed) -> null).thenCompose(x -> socket.sendClose(WebSocket.NORMAL_CLOSURE, ""));
                lastSend = closing;
            }
            closing.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteTree(profile);
    }

    /**
     * Sends {@code text} once every earlier send has completed. A WebSocket allows one send outstanding at
     * a time, and two threads send: a command's caller, and the listener answering a page's dialog (a
     * dialog that opened while a command was being sent failed that command with "Send pending").
     */
    private CompletableFuture<?> sendText(String text) {
        synchronized (sendLock) {
            CompletableFuture<?> next = lastSend.handle((done, failed) -> null).thenCompose(x -> socket.sendText(text, true));
            lastSend = next;
            return next;
        }
    }

    private JsonNode send(String method, ObjectNode params) throws IOException {
        int id = ids.incrementAndGet();
        ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            sendText(json.writeValueAsString(message)).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode r = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new IOException("Chromium refused " + method + ": " + r.get("error").path("message").asText());
            }
            return r.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + method);
        } catch (ExecutionException e) {
            throw new IOException("Chromium connection failed during " + method + ": " + e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("Chromium did not answer " + method + " within " + COMMAND_TIMEOUT.toSeconds() + " s");
        } finally {
            pending.remove(id);
        }
    }

    /** Files an event from the page: what went wrong, and which requests it made. */
    private void event(String method, JsonNode p) {
        switch (method) {
            case "Runtime.exceptionThrown" -> {
                JsonNode d = p.path("exceptionDetails");
                problem("exception: " + d.path("exception").path("description").asText(d.path("text").asText()));
            }
            case "Runtime.consoleAPICalled" -> {
                String type = p.path("type").asText();
                if (type.equals("error") || type.equals("warning") || type.equals("assert")) {
                    StringBuilder text = new StringBuilder();
                    for (JsonNode a : p.path("args")) {
                        text.append(text.isEmpty() ? "" : " ").append(a.has("value") ? a.get("value").asText() : a.path("description").asText());
                    }
                    problem("console." + (type.equals("warning") ? "warn" : type) + ": " + text);
                }
            }
            case "Log.entryAdded" -> {
                JsonNode e = p.path("entry");
                if (e.path("level").asText().equals("error")) {
                    problem("browser " + e.path("source").asText() + " error: " + e.path("text").asText()
                            + (e.has("url") ? " (" + e.get("url").asText() + ")" : ""));
                }
            }
            case "Page.javascriptDialogOpening" -> {
                problem("dialog (" + p.path("type").asText() + "): " + p.path("message").asText());
                stoppers.incrementAndGet();
                // a dialog blocks the page until it is answered
                int id = ids.incrementAndGet();
                sendText("{\"id\":" + id + ",\"method\":\"Page.handleJavaScriptDialog\",\"params\":{\"accept\":true}}");
            }
            case "Network.requestWillBeSent" -> {
                synchronized (requests) {
                    requests.add(p.path("request").path("url").asText());
                }
            }
            case "Network.loadingFailed" -> {
                problem("a resource failed to load: " + p.path("errorText").asText()
                        + (p.path("blockedReason").isMissingNode() ? "" : " (" + p.path("blockedReason").asText() + ")"));
                stoppers.incrementAndGet();
            }
            default -> {
            }
        }
    }

    private void problem(String line) {
        synchronized (problems) {
            problems.add(line);
        }
    }

    private String lastStderr() {
        synchronized (stderr) {
            return stderr.isEmpty() ? "it printed nothing" : String.join(" | ", stderr.subList(Math.max(0, stderr.size() - 3), stderr.size()));
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing for
        }
    }

    /** Collects a message's fragments, then answers a pending command or files an event. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String text = message.toString();
                message.setLength(0);
                try {
                    JsonNode m = json.readTree(text);
                    if (m.has("id")) {
                        CompletableFuture<JsonNode> reply = pending.get(m.get("id").asInt());
                        if (reply != null) {
                            reply.complete(m);
                        }
                    } else if (m.has("method")) {
                        event(m.get("method").asText(), m.path("params"));
                    }
                } catch (IOException e) {
                    problem("unreadable DevTools message: " + Main.oneLine(e.getMessage()));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            IOException e = new IOException("DevTools connection lost: " + error);
            pending.values().forEach(f -> f.completeExceptionally(e));
        }
    }
}
