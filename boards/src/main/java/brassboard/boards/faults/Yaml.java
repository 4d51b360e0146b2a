package brassboard.boards.faults;

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
 * A YAML document as a small tree that remembers the line of every node, read with Jackson's
 * streaming parser. Scalars keep their source text; the plan reader interprets them.
 */
final class Yaml {
    private Yaml() {
    }

    /** A node and the (1-based) line it starts on. */
    sealed interface Node permits MapNode, ListNode, Scalar {
        int line();
    }

    /** A mapping; {@code keyLines} holds the line of each key. */
    record MapNode(int line, Map<String, Node> entries, Map<String, Integer> keyLines) implements Node {
    }

    record ListNode(int line, List<Node> items) implements Node {
    }

    /** A scalar's text; {@code text} is null for a YAML null ({@code ~}, empty). */
    record Scalar(int line, String text) implements Node {
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /**
     * Parses one document.
     *
     * @throws FaultPlanException {@code SOURCE: line N: ...} for a syntax error or a duplicate key
     */
    static Node parse(String text, String source) throws FaultPlanException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new FaultPlanException(source + ": the plan is empty; expected a mapping with 'rules:'");
            }
            return read(p, t, source);
        } catch (JsonProcessingException e) {
            throw new FaultPlanException(source + ": " + syntaxError(e));
        } catch (IOException e) {
            throw new FaultPlanException(source + ": cannot read the plan: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static Node read(JsonParser p, JsonToken t, String source) throws IOException, FaultPlanException {
        int line = p.currentTokenLocation().getLineNr();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    if (entries.containsKey(key)) {
                        throw new FaultPlanException(source + ": line " + keyLine + ": key '" + key
                                + "' appears twice in the same mapping (first on line " + keyLines.get(key) + ")");
                    }
                    Node value = read(p, p.nextToken(), source);
                    entries.put(key, value);
                    keyLines.put(key, keyLine);
                }
                if (k != JsonToken.END_OBJECT) {
                    throw new FaultPlanException(source + ": line " + line + ": YAML syntax error: unterminated mapping");
                }
                return new MapNode(line, entries, keyLines);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken i;
                while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (i == null) {
                        throw new FaultPlanException(source + ": line " + line + ": YAML syntax error: unterminated list");
                    }
                    items.add(read(p, i, source));
                }
                return new ListNode(line, items);
            }
            case VALUE_NULL -> {
                return new Scalar(line, null);
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(line, p.getText());
            }
            default -> throw new FaultPlanException(source + ": line " + line + ": YAML syntax error: unexpected " + t);
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

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return (nl < 0 ? t : t.substring(0, nl)).strip();
    }
}
