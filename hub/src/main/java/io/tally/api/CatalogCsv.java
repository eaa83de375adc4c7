package io.tally.api;

import io.tally.linking.CatalogImport.BundleRow;
import io.tally.linking.CatalogImport.CountRow;
import io.tally.linking.CatalogImport.ListingRow;
import io.tally.linking.CatalogImport.RowError;
import io.tally.linking.ListingDeclaration;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * The catalog files (RFC 4180 CSV, UTF-8, a header row naming the columns in any order). A cell that cannot be read
 * is an error of its row, reported with the others; a file that is not CSV at all is refused as a whole.
 */
final class CatalogCsv {

    static final List<String> LISTING_COLUMNS = List.of(
            "store",
            "ref",
            "sku",
            "barcode",
            "handle",
            "master",
            "hidden",
            "safetyStock",
            "maxAvailable",
            "sharePercent",
            "level");
    static final List<String> BUNDLE_COLUMNS = List.of("bundle", "component", "quantity");
    static final List<String> COUNT_COLUMNS = List.of("item", "onHand", "reason");

    /** Output format: CRLF line ends as RFC 4180 says; every file starts with its header. */
    static final CSVFormat OUTPUT =
            CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    private static final CSVFormat INPUT = CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .get();

    private CatalogCsv() {}

    /** Rows read so far and the cells that could not be read (each with its line). */
    record Parsed<T>(List<T> rows, int records, List<RowError> errors) {}

    static Parsed<ListingRow> listings(InputStream body) {
        return parse(
                body,
                LISTING_COLUMNS,
                Set.of("store", "ref"),
                (cells) -> new ListingRow(
                        cells.line,
                        cells.text("store"),
                        cells.text("ref"),
                        new ListingDeclaration(
                                cells.text("sku"),
                                cells.text("barcode"),
                                cells.text("handle"),
                                cells.bool("master"),
                                cells.bool("hidden"),
                                cells.integer("safetyStock"),
                                cells.integer("maxAvailable"),
                                cells.integer("sharePercent"),
                                cells.number("level"))));
    }

    static Parsed<BundleRow> bundles(InputStream body) {
        return parse(
                body,
                BUNDLE_COLUMNS,
                Set.copyOf(BUNDLE_COLUMNS),
                cells -> new BundleRow(
                        cells.line, cells.text("bundle"), cells.text("component"), cells.integer("quantity")));
    }

    static Parsed<CountRow> counts(InputStream body) {
        return parse(
                body,
                COUNT_COLUMNS,
                Set.of("item", "onHand"),
                cells -> new CountRow(cells.line, cells.text("item"), cells.number("onHand"), cells.text("reason")));
    }

    private static <T> Parsed<T> parse(
            InputStream body, List<String> columns, Set<String> required, Function<Cells, T> row) {
        List<T> rows = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        int records = 0;
        try (CSVParser parser = CSVParser.builder()
                .setReader(withoutByteOrderMark(strictUtf8(body)))
                .setFormat(INPUT)
                .get()) {
            checkHeader(parser.getHeaderNames(), columns, required);
            long headerLines = Math.max(1, parser.getCurrentLineNumber());
            long previousEnd = headerLines;
            for (CSVRecord record : parser) {
                // The line a record starts on: a quoted cell may hold line breaks, so the record number is not it.
                long line = previousEnd + 1;
                previousEnd = parser.getCurrentLineNumber();
                records++;
                Cells cells = new Cells(record, line, errors);
                if (!record.isConsistent()) {
                    errors.add(new RowError(
                            line, null, "the row has " + record.size() + " cells, the header " + columns(parser)));
                    continue;
                }
                int before = errors.size();
                T value = row.apply(cells);
                if (errors.size() == before) {
                    rows.add(value);
                }
            }
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(unreadable(e.getCause()));
        } catch (IOException e) {
            throw new IllegalArgumentException(unreadable(e));
        } catch (IllegalStateException e) {
            // commons-csv's word for a malformed file (an unclosed quote, text after a closing quote)
            throw new IllegalArgumentException("not a valid CSV file: " + firstSentence(e.getMessage()));
        }
        return new Parsed<>(rows, records, errors);
    }

    private static String columns(CSVParser parser) {
        return parser.getHeaderNames().size() + " (" + String.join(",", parser.getHeaderNames()) + ")";
    }

    private static void checkHeader(List<String> header, List<String> columns, Set<String> required) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException(
                    "the file is empty: its first line must name the columns, e.g. " + String.join(",", columns));
        }
        Set<String> known = new HashSet<>(columns);
        List<String> unknown = header.stream().filter(h -> !known.contains(h)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown column(s) " + unknown + "; the columns are " + String.join(",", columns));
        }
        List<String> missing = columns.stream()
                .filter(required::contains)
                .filter(c -> !header.contains(c))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "missing column(s) " + missing + "; the columns are " + String.join(",", columns));
        }
    }

    private static String unreadable(Throwable e) {
        if (e instanceof CharacterCodingException) {
            return "the file is not valid UTF-8";
        }
        return "the file could not be read: " + firstSentence(e == null ? null : e.getMessage());
    }

    private static String firstSentence(String message) {
        if (message == null) {
            return "malformed";
        }
        int end = message.indexOf(" at org.");
        return end < 0 ? message : message.substring(0, end);
    }

    private static Reader strictUtf8(InputStream in) {
        return new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /** Spreadsheets write a UTF-8 byte order mark; it is not part of the first column's name. */
    private static Reader withoutByteOrderMark(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    /** The cells of one record, read by column name; an unreadable cell becomes an error of its row. */
    static final class Cells {
        final long line;
        private final CSVRecord record;
        private final List<RowError> errors;

        Cells(CSVRecord record, long line, List<RowError> errors) {
            this.record = record;
            this.line = line;
            this.errors = errors;
        }

        String text(String column) {
            if (!record.isMapped(column)) {
                return null;
            }
            String value = record.get(column);
            return value == null || value.isEmpty() ? null : value;
        }

        Boolean bool(String column) {
            String value = text(column);
            if (value == null) {
                return null;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> {
                    errors.add(new RowError(line, column, column + " must be true or false, not '" + value + "'"));
                    yield null;
                }
            };
        }

        Long number(String column) {
            String value = text(column);
            if (value == null) {
                return null;
            }
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                errors.add(new RowError(line, column, column + " must be a whole number, not '" + clip(value) + "'"));
                return null;
            }
        }

        Integer integer(String column) {
            Long value = number(column);
            if (value == null) {
                return null;
            }
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                errors.add(new RowError(line, column, column + " is out of range"));
                return null;
            }
            return value.intValue();
        }

        private static String clip(String value) {
            return value.length() > 40 ? value.substring(0, 40) + "…" : value;
        }
    }
}
