package brassboard.boards.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML document as a small tree in which every node knows where it starts and ends in the text
 * (so errors name lines, and an inline fault plan can be cut out of a campaign file with its line
 * numbers intact), read with Jackson's streaming parser. Scalars keep their source text; the
 * readers of fault plans and campaigns interpret them.
 */
public final class YamlTree {
    private YamlTree() {
    }

    /** A position in the text: 1-based line and column. */
    public record Pos(int line, int column) {
        static Pos of(JsonLocation l) {
            return new Pos(l.getLineNr(), l.getColumnNr());
        }
    }

    public sealed interface Node permits MapNode, ListNode, Scalar {
        Pos start();

        /** Where the node's last scalar starts (a block collection ends on that line). */
        Pos end();

        default int line() {
            return start().line();
        }
    }

    /** A mapping; {@code keys} holds the position of each key. */
    public record MapNode(Pos start, Pos end, Map<String, Node> entries, Map<String, Pos> keys) implements Node {
        public Node get(String key) {
            return entries.get(key);
        }

        /** The line of {@code key} (the mapping's own line if it has no such key). */
        public int keyLine(String key) {
            Pos p = keys.get(key);
            return p == null ? start.line() : p.line();
        }
    }

    public record ListNode(Pos start, Pos end, List<Node> items) implements Node {
    }

    /** A scalar; {@code text} is null for a YAML null. */
    public record Scalar(Pos start, Pos end, String text) implements Node {
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** A syntax error or a duplicate key; the message is {@code SOURCE: line N: ...}, one line. */
    public static final class Error extends Exception {
        private static final long serialVersionUID = 1L;

        Error(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses one document; {@code null} if the text holds none (empty, or only comments).
     * {@code source} names the text in messages.
     *
     * @throws Error {@code SOURCE: line N: ...} for a syntax error or a duplicate key
     */
    public static Node parse(String text, String source) throws Error {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            return t == null ? null : read(p, t, source);
        } catch (JsonProcessingException e) {
            throw new Error(source + ": " + syntaxError(e));
        } catch (IOException e) {
            throw new Error(source + ": cannot read it: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static Node read(JsonParser p, JsonToken t, String source) throws IOException, Error {
        Pos start = Pos.of(p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, Pos> keys = new LinkedHashMap<>();
                JsonToken k;
                Pos end = start;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Pos keyPos = Pos.of(p.currentTokenLocation());
                    if (entries.containsKey(key)) {
                        throw new Error(source + ": line " + keyPos.line() + ": key '" + key
                                + "' appears twice in the same mapping (first on line " + keys.get(key).line() + ")");
                    }
                    Node value = read(p, p.nextToken(), source);
                    entries.put(key, value);
                    keys.put(key, keyPos);
                    end = value.end();
                }
                if (k != JsonToken.END_OBJECT) {
                    throw new Error(source + ": line " + start.line() + ": YAML syntax error: unterminated mapping");
                }
                return new MapNode(start, end, entries, keys);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken i;
                Pos end = start;
                while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (i == null) {
                        throw new Error(source + ": line " + start.line() + ": YAML syntax error: unterminated list");
                    }
                    Node item = read(p, i, source);
                    items.add(item);
                    end = item.end();
                }
                return new ListNode(start, end, items);
            }
            case VALUE_NULL -> {
                return new Scalar(start, start, null);
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(start, start, p.getText());
            }
            default -> throw new Error(source + ": line " + start.line() + ": YAML syntax error: unexpected " + t);
        }
    }

    private static final Pattern MARK = Pattern.compile("^ in .*, line (\\d+), column \\d+:?$");

    /**
     * {@code line N: YAML syntax error: PROBLEM (CONTEXT)} from a parser error. SnakeYAML's
     * message (which Jackson passes on) has text lines at column 0 (context, then problem), each
     * followed by a mark ({@code  in 'reader', line N, column M:}) and an echo of the source; the
     * last mark is where the problem is, which is more precise than Jackson's token location.
     */
    private static String syntaxError(JsonProcessingException e) {
        String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        List<String> text = new ArrayList<>();
        int line = -1;
        for (String l : msg.split("\\R")) {
            Matcher m = MARK.matcher(l);
            if (m.matches()) {
                line = Integer.parseInt(m.group(1));
            } else if (!l.isBlank() && !Character.isWhitespace(l.charAt(0))) {
                text.add(l.strip());
            }
        }
        if (line < 0) {
            JsonLocation at = e.getLocation();
            line = at == null ? -1 : at.getLineNr();
        }
        String why = text.isEmpty() ? "unreadable YAML"
                : text.size() == 1 ? text.get(0) : text.get(text.size() - 1) + " (" + text.get(0) + ")";
        return (line > 0 ? "line " + line + ": " : "") + "YAML syntax error: " + why;
    }

    /** The first line of {@code s}, stripped (for one-line messages). */
    public static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return (nl < 0 ? t : t.substring(0, nl)).strip();
    }
}
