package brassboard.boards.campaign;

import brassboard.boards.api.Machine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Outcome counts of a campaign — overall, per fault point/action and per group — as a text table
 * ({@link #text()}) and an HTML report with an inline SVG chart ({@link #html()}).
 */
public final class Summary {
    /** Colours of the outcomes in the chart. */
    private static final Map<Outcome, String> COLOURS = new EnumMap<>(Map.of(
            Outcome.MASKED, "#4caf50", Outcome.DETECTED, "#1e88e5", Outcome.HANG, "#fb8c00",
            Outcome.CRASH, "#e53935", Outcome.SDC, "#8e24aa", Outcome.ERROR, "#607d8b"));
    /** Runs listed one by one in the HTML report (those not masked). */
    private static final int LISTED = 500;

    /** Counts of one row. */
    static final class Row {
        final String key;
        final EnumMap<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        int total;
        int notInjected;

        Row(String key) {
            this.key = key;
        }

        void add(RunRecord r) {
            counts.merge(r.outcome(), 1, Integer::sum);
            total++;
            if (r.faults() == 0) {
                notInjected++;
            }
        }

        int count(Outcome o) {
            return counts.getOrDefault(o, 0);
        }
    }

    private final CampaignRunner.Result result;
    private final Row overall = new Row("all");
    private final Map<String, Row> byPoint = new LinkedHashMap<>();
    private final Map<String, Row> byGroup = new LinkedHashMap<>();

    private Summary(CampaignRunner.Result result) {
        this.result = result;
        for (RunRecord r : result.records()) {
            overall.add(r);
            byPoint.computeIfAbsent(r.pointAction(), Row::new).add(r);
            byGroup.computeIfAbsent(r.group(), Row::new).add(r);
        }
    }

    public static Summary of(CampaignRunner.Result result) {
        return new Summary(result);
    }

    /** How many runs had this outcome. */
    public int count(Outcome o) {
        return overall.count(o);
    }

    /** The outcomes shown: all but {@code error}, which only when a run had it. */
    private List<Outcome> shown() {
        List<Outcome> list = new ArrayList<>(List.of(Outcome.MASKED, Outcome.DETECTED, Outcome.HANG, Outcome.CRASH, Outcome.SDC));
        if (overall.count(Outcome.ERROR) > 0) {
            list.add(Outcome.ERROR);
        }
        return list;
    }

    private String headline() {
        Campaign c = result.campaign();
        CampaignRunner.GoldenRun g = result.golden();
        String image = String.valueOf(c.image().getFileName());
        return String.format("campaign %s: %d of %d runs (%s, %d CPU%s); golden run: %s at %s, %d bytes of output",
                c.name(), result.records().size(), c.runs().size(), image, c.cpus(), c.cpus() == 1 ? "" : "s",
                g.end().outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), Machine.formatTime(g.end().virtualTimeNs()),
                g.output().length);
    }

    /** The summary as text tables. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(headline()).append('\n').append('\n');
        int total = overall.total;
        b.append(String.format("%-10s %6s %7s%n", "outcome", "runs", "share"));
        for (Outcome o : shown()) {
            int n = overall.count(o);
            b.append(String.format("%-10s %6d %6.1f%%%n", o.label(), n, total == 0 ? 0.0 : 100.0 * n / total));
        }
        b.append(String.format("%-10s %6d%n", "total", total));
        table(b, "by point/action", byPoint);
        table(b, "by group", byGroup);
        b.append('\n').append("(not injected: runs in which the plan's fault never happened, e.g. the register was never written.)\n");
        return b.toString();
    }

    private void table(StringBuilder b, String title, Map<String, Row> rows) {
        int width = Math.max(title.length(), rows.keySet().stream().mapToInt(String::length).max().orElse(0));
        b.append('\n').append(String.format("%-" + width + "s", title));
        for (Outcome o : shown()) {
            b.append(String.format(" %8s", o.label()));
        }
        b.append(String.format(" %8s %13s%n", "total", "not injected"));
        for (Row r : rows.values()) {
            b.append(String.format("%-" + width + "s", r.key));
            for (Outcome o : shown()) {
                b.append(String.format(" %8d", r.count(o)));
            }
            b.append(String.format(" %8d %13d%n", r.total, r.notInjected));
        }
    }

    /** The summary as a Markdown table by point/action (for a README). */
    public String markdown() {
        StringBuilder b = new StringBuilder("| point/action |");
        for (Outcome o : shown()) {
            b.append(' ').append(o.label()).append(" |");
        }
        b.append(" total | not injected |\n|---|");
        b.append("---:|".repeat(shown().size() + 2)).append('\n');
        Map<String, Row> rows = new LinkedHashMap<>(byPoint);
        rows.putAll(byGroup);
        for (Row r : rows.values()) {
            b.append("| ").append(r.key).append(" |");
            for (Outcome o : shown()) {
                b.append(' ').append(r.count(o)).append(" |");
            }
            b.append(' ').append(r.total).append(" | ").append(r.notInjected).append(" |\n");
        }
        return b.toString();
    }

    /** A self-contained HTML report: the tables, a stacked-bar chart per point/action and group, and the runs that were not masked. */
    public String html() {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc("Campaign " + result.campaign().name())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:first-child,th:first-child{text-align:left}")
                .append("code{font-size:90%}</style></head><body>\n");
        b.append("<h1>").append(esc("Campaign " + result.campaign().name())).append("</h1>\n<p>").append(esc(headline())).append("</p>\n");
        b.append("<h2>Outcomes per fault point/action</h2>\n").append(chart(byPoint));
        b.append("<h2>Outcomes per group</h2>\n").append(chart(byGroup));
        b.append(htmlTable("point/action", byPoint)).append(htmlTable("group", byGroup));
        b.append("<h2>Runs not masked</h2>\n<table><tr><th>run</th><th>outcome</th><th>reason</th><th>first divergence</th><th>faults</th></tr>\n");
        int listed = 0;
        for (RunRecord r : result.records()) {
            if (r.outcome() == Outcome.MASKED) {
                continue;
            }
            if (++listed > LISTED) {
                b.append("<tr><td colspan=\"5\">… and more (see results.jsonl)</td></tr>\n");
                break;
            }
            String div = r.divergence().map(d -> "line " + d.line() + ", column " + d.column() + ": expected “" + d.expected()
                    + "”, got “" + d.actual() + "”").orElse("");
            b.append("<tr><td><code>").append(esc(r.id())).append("</code></td><td style=\"color:").append(COLOURS.get(r.outcome()))
                    .append("\">").append(r.outcome().label()).append("</td><td style=\"text-align:left\">").append(esc(r.reason()))
                    .append("</td><td style=\"text-align:left\">").append(esc(div)).append("</td><td style=\"text-align:left\">")
                    .append(esc(String.join("; ", r.firstFaults()))).append("</td></tr>\n");
        }
        b.append("</table>\n</body></html>\n");
        return b.toString();
    }

    private String htmlTable(String title, Map<String, Row> rows) {
        StringBuilder b = new StringBuilder("<table><tr><th>").append(esc(title)).append("</th>");
        for (Outcome o : shown()) {
            b.append("<th>").append(o.label()).append("</th>");
        }
        b.append("<th>total</th><th>not injected</th></tr>\n");
        List<Row> all = new ArrayList<>(rows.values());
        all.add(overall);
        for (Row r : all) {
            b.append("<tr><td>").append(esc(r.key)).append("</td>");
            for (Outcome o : shown()) {
                b.append("<td>").append(r.count(o)).append("</td>");
            }
            b.append("<td>").append(r.total).append("</td><td>").append(r.notInjected).append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    /** One horizontal bar per row, split by outcome in proportion, with a legend. */
    private String chart(Map<String, Row> rows) {
        int label = 12 + 7 * rows.keySet().stream().mapToInt(String::length).max().orElse(4);
        int bar = 600;
        int rowHeight = 26;
        int legend = 30;
        int height = legend + rowHeight * rows.size() + 10;
        StringBuilder b = new StringBuilder();
        b.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                label + bar + 80, height));
        int x = 0;
        for (Outcome o : shown()) {
            b.append(String.format("<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"16\">%s</text>%n",
                    x, COLOURS.get(o), x + 16, o.label()));
            x += 90;
        }
        int y = legend;
        for (Row r : rows.values()) {
            b.append(String.format("<text x=\"0\" y=\"%d\">%s</text>%n", y + 16, esc(r.key)));
            double at = label;
            for (Outcome o : shown()) {
                int n = r.count(o);
                if (n == 0) {
                    continue;
                }
                double w = (double) bar * n / r.total;
                b.append(String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"><title>%s: %d of %d</title></rect>%n",
                        at, y + 2, w, COLOURS.get(o), o.label(), n, r.total));
                if (w >= 24) {
                    b.append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#fff\">%d</text>%n", at + 4, y + 16, n));
                }
                at += w;
            }
            b.append(String.format("<text x=\"%d\" y=\"%d\">%d runs</text>%n", label + bar + 6, y + 16, r.total));
            y += rowHeight;
        }
        return b.append("</svg>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Writes {@code summary.txt} and {@code report.html} into {@code dir}. */
    public void write(Path dir) throws java.io.IOException {
        java.nio.file.Files.writeString(dir.resolve("summary.txt"), text());
        java.nio.file.Files.writeString(dir.resolve("report.html"), html());
    }
}
