package dev.sluice.cli;

import java.util.List;

/** Plain-text table output with column widths fitted to the content. */
final class Table {
    private Table() {}

    static void print(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) w[i] = header.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.min(60, Math.max(w[i], r.get(i).length()));
        line(header, w);
        StringBuilder sep = new StringBuilder();
        for (int x : w) sep.append("-".repeat(x)).append("  ");
        System.out.println(sep.toString().stripTrailing());
        for (List<String> r : rows) line(r, w);
    }

    private static void line(List<String> cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i).replaceAll("\\p{Cntrl}", " ");
            if (c.length() > w[i]) c = c.substring(0, w[i] - 1) + "…";
            sb.append(c).append(" ".repeat(w[i] - c.length())).append("  ");
        }
        System.out.println(sb.toString().stripTrailing());
    }
}
