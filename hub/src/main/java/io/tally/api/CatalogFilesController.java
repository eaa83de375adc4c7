package io.tally.api;

import io.tally.dispatch.Dispatch;
import io.tally.event.InputRules;
import io.tally.linking.CatalogImport;
import io.tally.linking.CatalogImport.Result;
import io.tally.linking.CatalogImport.RowError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Onboarding a real catalog: listings, bundles and stock counts as CSV files. {@code POST} imports a file all or
 * nothing ({@code ?dryRun=true} says what it would change); {@code GET} exports the same columns, streamed.
 */
@RestController
@RequestMapping("/api/catalog")
class CatalogFilesController {

    /** Errors listed in one answer; the count says how many there are in all. */
    static final int MAX_LISTED_ERRORS = 1_000;

    private static final int EXPORT_FETCH_SIZE = 2_000;
    private static final String CSV = "text/csv";

    private final CatalogImport imports;
    private final Dispatch dispatch;
    /** Its own template: the fetch size (a cursor) must not leak into the shared one. */
    private final NamedParameterJdbcTemplate exportJdbc;

    private final TransactionTemplate readOnly;

    CatalogFilesController(
            CatalogImport imports, Dispatch dispatch, DataSource dataSource, TransactionTemplate transaction) {
        this.imports = imports;
        this.dispatch = dispatch;
        JdbcTemplate cursor = new JdbcTemplate(dataSource);
        cursor.setFetchSize(EXPORT_FETCH_SIZE);
        this.exportJdbc = new NamedParameterJdbcTemplate(cursor);
        this.readOnly = new TransactionTemplate(transaction.getTransactionManager());
        this.readOnly.setReadOnly(true);
    }

    @PostMapping(path = "/listings", consumes = CSV)
    ResponseEntity<Object> importListings(
            HttpServletRequest request, @RequestParam(defaultValue = "false") boolean dryRun) throws IOException {
        var parsed = CatalogCsv.listings(request.getInputStream());
        return answer(imports.importListings(parsed.rows(), parsed.records(), parsed.errors(), dryRun));
    }

    @PostMapping(path = "/bundles", consumes = CSV)
    ResponseEntity<Object> importBundles(
            HttpServletRequest request, @RequestParam(defaultValue = "false") boolean dryRun) throws IOException {
        var parsed = CatalogCsv.bundles(request.getInputStream());
        return answer(imports.importBundles(parsed.rows(), parsed.records(), parsed.errors(), dryRun));
    }

    @PostMapping(path = "/counts", consumes = CSV)
    ResponseEntity<Object> importCounts(
            HttpServletRequest request, @RequestParam(defaultValue = "false") boolean dryRun) throws IOException {
        var parsed = CatalogCsv.counts(request.getInputStream());
        return answer(imports.importCounts(parsed.rows(), parsed.records(), parsed.errors(), dryRun));
    }

    private ResponseEntity<Object> answer(Result result) {
        if (!result.errors().isEmpty()) {
            List<RowError> errors = result.errors();
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    errors.size() + " error(s) in " + result.rows() + " row(s); nothing was "
                            + (result.dryRun() ? "checked further" : "applied"));
            problem.setType(URI.create("about:blank"));
            problem.setProperty("errorCount", errors.size());
            problem.setProperty("errors", errors.subList(0, Math.min(errors.size(), MAX_LISTED_ERRORS)));
            return ResponseEntity.unprocessableEntity()
                    .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem);
        }
        if (result.applied()) {
            dispatch.applyEvents(result.unparked());
            dispatch.push(result.listingsToPush());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rows", result.rows());
        body.put("dryRun", result.dryRun());
        body.put("applied", result.applied());
        body.put("changes", result.changes());
        return ResponseEntity.ok(body);
    }

    // ------------------------------------------------------------------ exports

    /** Every listing (or one store's) in the import's columns; {@code level} stays empty (it only seeds). */
    @GetMapping("/listings")
    void exportListings(@RequestParam(required = false) String store, HttpServletResponse response) throws IOException {
        InputRules.checkId("store", store, InputRules.MAX_KEY_LENGTH);
        export(response, "listings.csv", CatalogCsv.LISTING_COLUMNS, """
                SELECT store, ref, sku, barcode, handle, master, hidden, safety_stock, max_available, share_percent,
                       NULL AS level
                FROM listing WHERE CAST(:store AS text) IS NULL OR store = :store ORDER BY store, ref
                """, new MapSqlParameterSource("store", store));
    }

    @GetMapping("/bundles")
    void exportBundles(HttpServletResponse response) throws IOException {
        export(response, "bundles.csv", CatalogCsv.BUNDLE_COLUMNS, """
                SELECT bundle_key, component_key, quantity FROM bundle_component ORDER BY bundle_key, component_key
                """, new MapSqlParameterSource());
    }

    /** Every stock item that holds stock of its own (bundles follow their components). */
    @GetMapping("/counts")
    void exportCounts(HttpServletResponse response) throws IOException {
        export(response, "counts.csv", CatalogCsv.COUNT_COLUMNS, """
                SELECT item_key, on_hand, NULL AS reason FROM stock_item WHERE NOT bundle ORDER BY item_key
                """, new MapSqlParameterSource());
    }

    /** Streams the rows with a cursor (fetch size inside a read-only transaction): memory stays flat at any size. */
    private void export(
            HttpServletResponse response, String fileName, List<String> header, String sql, MapSqlParameterSource args)
            throws IOException {
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(out, CatalogCsv.OUTPUT);
        printer.printRecord(header);
        readOnly.executeWithoutResult(status -> {
            exportJdbc.query(sql, args, rs -> {
                try {
                    for (int i = 1; i <= header.size(); i++) {
                        printer.print(rs.getObject(i));
                    }
                    printer.println();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        });
        printer.flush();
    }
}
