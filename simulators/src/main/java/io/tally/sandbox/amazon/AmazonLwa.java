package io.tally.sandbox.amazon;

import io.tally.sandbox.amazon.AmazonStore.Seller;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Login with Amazon: {@code POST /auth/o2/token} with the refresh-token grant hands out {@code Atza|...} access
 * tokens that expire after the token lifetime (3600 s like Amazon). Bad client credentials answer 401
 * {@code invalid_client}, a bad refresh token 400 {@code invalid_grant}, as OAuth 2 / LWA do.
 */
final class AmazonLwa {

    private record Token(String sellerId, Instant expiresAt) {}

    private final AmazonStore store;
    private final Map<String, Token> tokens = new HashMap<>(); // guarded by store.lock
    private Duration tokenLifetime = Duration.ofHours(1);

    AmazonLwa(AmazonStore store) {
        this.store = store;
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

    /** Every access token handed out so far stops working. */
    void expireTokens() {
        synchronized (store.lock) {
            tokens.clear();
        }
    }

    AmazonReply token(Map<String, String> form) {
        String grant = form.get("grant_type");
        if (grant == null || form.get("client_id") == null || form.get("client_secret") == null) {
            return new AmazonReply(
                    400,
                    Map.of(
                            "error",
                            "invalid_request",
                            "error_description",
                            "The request is missing a required parameter : "
                                    + (grant == null
                                            ? "grant_type"
                                            : form.get("client_id") == null ? "client_id" : "client_secret")));
        }
        if (!grant.equals("refresh_token")) {
            return new AmazonReply(
                    400,
                    Map.of(
                            "error",
                            "unsupported_grant_type",
                            "error_description",
                            "The authorization grant type is not supported by the authorization server"));
        }
        synchronized (store.lock) {
            boolean clientKnown = store.sellers.values().stream()
                    .anyMatch(s -> s.clientId.equals(form.get("client_id"))
                            && s.clientSecret.equals(form.get("client_secret")));
            if (!clientKnown) {
                return new AmazonReply(
                        401, Map.of("error", "invalid_client", "error_description", "Client authentication failed"));
            }
            Seller seller = store.sellers.values().stream()
                    .filter(s -> s.refreshToken.equals(form.get("refresh_token"))
                            && s.clientId.equals(form.get("client_id")))
                    .findFirst()
                    .orElse(null);
            if (seller == null) {
                return new AmazonReply(
                        400,
                        Map.of(
                                "error",
                                "invalid_grant",
                                "error_description",
                                "The request has an invalid grant parameter : refresh_token"));
            }
            String access = "Atza|" + store.randomAlnum(48);
            tokens.put(access, new Token(seller.sellerId, store.now().plus(tokenLifetime)));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("access_token", access);
            out.put("refresh_token", seller.refreshToken);
            out.put("token_type", "bearer");
            out.put("expires_in", tokenLifetime.toSeconds());
            return new AmazonReply(200, out);
        }
    }
}
