package io.tally.sandbox.walmart;

import static io.tally.sandbox.walmart.WalmartText.query;

import com.sun.net.httpserver.HttpExchange;
import io.tally.sandbox.walmart.WalmartStore.Seller;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Walmart's token API and request headers: {@code POST /v3/token} (client-credentials grant with HTTP Basic
 * {@code clientId:clientSecret}, JSON with {@code Accept: application/json}, else the default XML
 * {@code OAuthTokenDTO}), the {@code WM_SEC.ACCESS_TOKEN} check and the required {@code WM_SVC.NAME} /
 * {@code WM_QOS.CORRELATION_ID} headers. State is guarded by the store's lock.
 */
final class WalmartAuth {

    private record Token(String sellerId, Instant expiresAt) {}

    private final WalmartStore store;
    private final WalmartJson json;
    private final Map<String, Token> tokens = new HashMap<>();
    private Duration tokenLifetime = Duration.ofSeconds(900);

    WalmartAuth(WalmartStore store, WalmartJson json) {
        this.store = store;
        this.json = json;
    }

    void tokenLifetime(Duration d) {
        synchronized (store.lock) {
            tokenLifetime = d;
        }
    }

    /** The seller a live access token belongs to, or null for a missing, unknown or expired one. Caller holds the lock. */
    String sellerOf(String accessToken, Instant now) {
        Token t = tokens.get(accessToken);
        if (t == null || !now.isBefore(t.expiresAt())) {
            return null;
        }
        return t.sellerId();
    }

    /** Forgets every access token. Caller holds the lock. */
    void clear() {
        tokens.clear();
    }

    WalmartReply requireHeaders(String svc, String correlation) {
        if (svc == null || svc.isBlank()) {
            return new WalmartReply(
                    400,
                    json.errors(
                            "MISSING_REQUEST_HEADER.GMP_GATEWAY_API",
                            "WM_SVC.NAME",
                            "Missing request header",
                            "WM_SVC.NAME header is required"));
        }
        if (correlation == null || correlation.isBlank()) {
            return new WalmartReply(
                    400,
                    json.errors(
                            "MISSING_REQUEST_HEADER.GMP_GATEWAY_API",
                            "WM_QOS.CORRELATION_ID",
                            "Missing request header",
                            "WM_QOS.CORRELATION_ID header is required"));
        }
        return null;
    }

    /** Answers {@code POST /v3/token}. Caller holds the lock. */
    WalmartReply token(HttpExchange ex, String body, String svc, String correlation) {
        WalmartReply missing = requireHeaders(svc, correlation);
        if (missing != null) {
            return missing;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Seller seller = null;
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded =
                        new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                String id = decoded.substring(0, colon);
                String secret = decoded.substring(colon + 1);
                seller = store.sellers.values().stream()
                        .filter(s -> s.clientId.equals(id) && s.clientSecret.equals(secret))
                        .findFirst()
                        .orElse(null);
            }
        }
        if (seller == null) {
            return new WalmartReply(
                    401,
                    json.errors(
                            "UNAUTHORIZED.GMP_GATEWAY_API",
                            "UNAUTHORIZED",
                            "Unauthorized",
                            "Unauthorized token or invalid clientId/clientSecret."));
        }
        if (!"client_credentials".equals(query(body).get("grant_type"))) {
            return new WalmartReply(
                    400,
                    json.errors(
                            "INVALID_REQUEST_PARAM.GMP_GATEWAY_API",
                            "grant_type",
                            "Invalid grant_type",
                            "grant_type must be client_credentials"));
        }
        String access = "eyJraWQiOiJ" + store.randomAlnum(60);
        tokens.put(access, new Token(seller.sellerId, store.now().plus(tokenLifetime)));
        long expiresIn = tokenLifetime.toSeconds();
        String accept = ex.getRequestHeaders().getFirst("Accept");
        if (accept != null && accept.contains("application/json")) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("access_token", access);
            out.put("token_type", "Bearer");
            out.put("expires_in", expiresIn);
            return new WalmartReply(200, out);
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><OAuthTokenDTO><accessToken>"
                + access + "</accessToken><tokenType>Bearer</tokenType><expiresIn>" + expiresIn
                + "</expiresIn></OAuthTokenDTO>";
        return new WalmartReply(200, xml, Map.of(), "application/xml");
    }
}
