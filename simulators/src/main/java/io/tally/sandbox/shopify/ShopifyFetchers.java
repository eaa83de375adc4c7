package io.tally.sandbox.shopify;

import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetchingEnvironment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every data fetcher of {@link ShopifyGraphQl} uses: the shop from the request's GraphQL context and its lock,
 * Shopify's global ids, and Relay connections with Shopify's cursors.
 */
final class ShopifyFetchers {

    static final int MAX_PAGE = 250;

    private ShopifyFetchers() {}

    static Shop shop(DataFetchingEnvironment env) {
        return env.getGraphQlContext().get("shop");
    }

    static <T> T locked(DataFetchingEnvironment env, java.util.function.Supplier<T> s) {
        synchronized (shop(env).lock) {
            return s.get();
        }
    }

    /** The numeric id of {@code gid://shopify/<type>/<id>}, or null when it is not one. */
    static Long parseGid(String gid, String type) {
        String prefix = "gid://shopify/" + type + "/";
        if (gid == null || !gid.startsWith(prefix)) {
            return null;
        }
        String rest = gid.substring(prefix.length());
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        try {
            return Long.parseLong(rest);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A Relay connection over items sorted by id; the cursor is base64 JSON with {@code last_id}, as Shopify's. */
    static <T> Object connection(DataFetchingEnvironment env, List<T> items, ToLongFunction<T> key) {
        Integer first = env.getArgument("first");
        String after = env.getArgument("after");
        if (first == null) {
            return DataFetcherResult.newResult()
                    .error(GraphqlErrorBuilder.newError(env)
                            .message("you must provide one of first or last")
                            .build())
                    .build();
        }
        if (first > MAX_PAGE || first < 0) {
            return DataFetcherResult.newResult()
                    .error(GraphqlErrorBuilder.newError(env)
                            .message("The first argument must be between 0 and " + MAX_PAGE + ".")
                            .build())
                    .build();
        }
        List<T> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> Long.compare(key.applyAsLong(a), key.applyAsLong(b)));
        int start = 0;
        boolean hasPrevious = false;
        if (after != null) {
            Long lastId = decodeCursor(after);
            if (lastId == null) {
                return DataFetcherResult.newResult()
                        .error(GraphqlErrorBuilder.newError(env)
                                .message("Invalid cursor for current pagination sort.")
                                .build())
                        .build();
            }
            while (start < sorted.size() && key.applyAsLong(sorted.get(start)) <= lastId) {
                start++;
            }
            hasPrevious = start > 0;
        }
        int end = Math.min(sorted.size(), start + first);
        List<T> page = sorted.subList(start, end);
        List<Map<String, Object>> edges = new ArrayList<>();
        for (T item : page) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("cursor", encodeCursor(key.applyAsLong(item)));
            e.put("node", item);
            edges.add(e);
        }
        Map<String, Object> pageInfo = new LinkedHashMap<>();
        pageInfo.put("hasNextPage", end < sorted.size());
        pageInfo.put("hasPreviousPage", hasPrevious);
        pageInfo.put("startCursor", page.isEmpty() ? null : encodeCursor(key.applyAsLong(page.get(0))));
        pageInfo.put("endCursor", page.isEmpty() ? null : encodeCursor(key.applyAsLong(page.get(page.size() - 1))));
        Map<String, Object> conn = new LinkedHashMap<>();
        conn.put("edges", edges);
        conn.put("nodes", List.copyOf(page));
        conn.put("pageInfo", pageInfo);
        return conn;
    }

    static String encodeCursor(long id) {
        return Base64.getEncoder()
                .encodeToString(
                        ("{\"last_id\":" + id + ",\"last_value\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static Long decodeCursor(String cursor) {
        try {
            String json = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\"last_id\":(\\d+)").matcher(json);
            return m.find() ? Long.parseLong(m.group(1)) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
