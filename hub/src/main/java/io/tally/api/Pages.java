package io.tally.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Keyset pagination shared by the list endpoints: {@code limit} (default 500, at most 1000), {@code after} (an opaque
 * cursor: base64url of the last row's sort key) and an RFC 8288 {@code Link: <...>; rel="next"} header, absent on the
 * last page. Bodies stay JSON arrays (contract C1).
 */
final class Pages {

    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 1000;
    // Separates the fields of a sort key; ids never hold control characters (InputRules).
    private static final String SEPARATOR = "\u0000";

    private Pages() {}

    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    static String cursor(String... fields) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(String.join(SEPARATOR, fields).getBytes(StandardCharsets.UTF_8));
    }

    /** The fields of a cursor, or null without one; a cursor that is not one of ours is bad input. */
    static String[] decode(String after, int fields) {
        if (after == null) {
            return null;
        }
        try {
            String[] parts =
                    new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8).split(SEPARATOR, -1);
            if (parts.length == fields) {
                return parts;
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below
        }
        throw new IllegalArgumentException("after is not a cursor from a previous page of this list");
    }

    /**
     * One page of a list sorted by text columns of its rows: {@code read} gets how many rows to read ({@code limit + 1})
     * and the cursor's fields (all null on the first page); the next page's cursor holds the {@code keyFields} of the
     * last row kept.
     */
    static ResponseEntity<List<Map<String, Object>>> byTextKey(
            Integer limit,
            String after,
            List<String> keyFields,
            BiFunction<Integer, String[], List<Map<String, Object>>> read) {
        int size = limit(limit);
        String[] from = decode(after, keyFields.size());
        return page(
                read.apply(size + 1, from == null ? new String[keyFields.size()] : from),
                size,
                row -> cursor(keyFields.stream().map(f -> (String) row.get(f)).toArray(String[]::new)));
    }

    /**
     * The page as the response: {@code rows} was read with {@code limit + 1} so that the extra row tells a next page
     * exists; its cursor comes from the last row kept.
     */
    static ResponseEntity<List<Map<String, Object>>> page(
            List<Map<String, Object>> rows, int limit, Function<Map<String, Object>, String> key) {
        return page(rows, limit, "after", key);
    }

    /** As {@link #page(List, int, Function)}, the next page's position given in the query parameter {@code param}. */
    static ResponseEntity<List<Map<String, Object>>> page(
            List<Map<String, Object>> rows, int limit, String param, Function<Map<String, Object>, String> key) {
        if (rows.size() <= limit) {
            return ResponseEntity.ok(rows);
        }
        List<Map<String, Object>> page = rows.subList(0, limit);
        return ResponseEntity.ok()
                .header(HttpHeaders.LINK, nextLink(limit, param, key.apply(page.get(limit - 1))))
                .body(page);
    }

    /** The RFC 8288 {@code Link} to the next page: this request with {@code limit} and {@code param} replaced. */
    static String nextLink(int limit, String param, String position) {
        String uri = ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("limit", limit)
                .replaceQueryParam(param, position)
                .build()
                .toUriString();
        return "<" + uri + ">; rel=\"next\"";
    }

    /**
     * The limit of a list newest first by id ({@code before} pages), with its own default: these lists are read for
     * their latest rows.
     */
    static int limit(Integer limit, int defaultLimit) {
        return limit == null ? defaultLimit : limit(limit);
    }

    /** Rows newest first by their {@code id}, read with {@code limit + 1}: the next page is {@code before} the last. */
    static ResponseEntity<List<Map<String, Object>>> beforeId(List<Map<String, Object>> rows, int limit) {
        return page(rows, limit, "before", row -> String.valueOf(row.get("id")));
    }
}
