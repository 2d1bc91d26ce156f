package io.deltaplane.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Prints answers as {@code --output json} (the API's JSON, pretty, for scripts and jq) or
 * {@code --output table} (aligned columns for people). Tables show the columns a command names;
 * nested values are shown as compact JSON, cut at {@value #MAX_CELL} characters (plain values never).
 */
final class Output {

    enum Format {
        json,
        table
    }

    private static final int MAX_CELL = 60;

    private final Format format;
    private final ObjectMapper json;
    private final PrintWriter out;

    Output(Format format, ObjectMapper json, PrintWriter out) {
        this.format = format;
        this.json = json;
        this.out = out;
    }

    Format format() {
        return format;
    }

    /** A list of items (a JSON array), as rows with {@code columns} ({@code a.b} names a nested field). */
    void list(JsonNode items, String... columns) {
        if (format == Format.json) {
            printJson(items);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(header(columns));
        for (JsonNode item : items) {
            String[] row = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                row[i] = cell(item.at("/" + columns[i].replace('.', '/')));
            }
            rows.add(row);
        }
        printAligned(rows);
        if (items.isEmpty()) {
            out.println("(none)");
        }
        out.flush();
    }

    /** One object: JSON, or a {@code field  value} line per field. */
    void object(JsonNode item) {
        if (format == Format.json) {
            printJson(item);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            rows.add(new String[] {name, cell(item.get(name))});
        }
        printAligned(rows);
        out.flush();
    }

    /** A message for people; in JSON mode an object {@code {"message": …}} so output stays parseable. */
    void message(String text) {
        if (format == Format.json) {
            printJson(json.createObjectNode().put("message", text));
        } else {
            out.println(text);
            out.flush();
        }
    }

    /** One line as it is, in either format (JSON lines are already JSON). */
    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** Free text lines (a lineage tree) in table mode; the JSON document in JSON mode. */
    void text(String lines, JsonNode document) {
        if (format == Format.json) {
            printJson(document);
        } else {
            out.print(lines);
            out.flush();
        }
    }

    private void printJson(JsonNode node) {
        try {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    private static String[] header(String[] columns) {
        String[] header = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            header[i] = columns[i].toUpperCase(java.util.Locale.ROOT);
        }
        return header;
    }

    private String cell(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (value.isValueNode()) {
            return value.asText().replace('\n', ' ').replace('\t', ' ');
        }
        String text = value.toString();
        return text.length() > MAX_CELL ? text.substring(0, MAX_CELL - 1) + "…" : text;
    }

    private void printAligned(List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
