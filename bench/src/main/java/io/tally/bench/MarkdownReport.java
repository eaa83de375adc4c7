package io.tally.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the figures as Markdown tables whose columns are padded, so the same text reads as a
 * plain table in a terminal and can be pasted into bench/README.md unchanged.
 */
final class MarkdownReport {

    static final double GOAL_APPLIED_OVER_BASELINE = 2.0;
    static final double GOAL_P99_ACK_MILLIS = 50.0;

    private final StringBuilder out = new StringBuilder();

    MarkdownReport line(String text) {
        out.append(text).append('\n');
        return this;
    }

    MarkdownReport table(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < header.size(); c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        appendRow(header, widths);
        List<String> rule = new ArrayList<>();
        for (int width : widths) {
            rule.add("-".repeat(width));
        }
        appendRow(rule, widths);
        for (List<String> row : rows) {
            appendRow(row, widths);
        }
        return line("");
    }

    private void appendRow(List<String> cells, int[] widths) {
        out.append('|');
        for (int c = 0; c < cells.size(); c++) {
            out.append(' ').append(pad(cells.get(c), widths[c])).append(" |");
        }
        out.append('\n');
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }

    @Override
    public String toString() {
        return out.toString();
    }

    // ---- number formats shared by the report ---------------------------------------------------

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "n/a" : String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    static String millis(double millis) {
        if (Double.isNaN(millis)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.1f", millis);
    }

    static String ratio(double ratio) {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f×", ratio);
    }

    static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static String verdict(boolean met) {
        return met ? "MET" : "NOT MET";
    }
}
