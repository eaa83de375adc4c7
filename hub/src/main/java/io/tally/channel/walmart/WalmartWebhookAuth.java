package io.tally.channel.walmart;

import io.tally.channel.webhook.WebhookSignatures;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * How a Walmart event notification proves it comes from the store's seller account. Walmart's own HMAC signing
 * string is not public, so Tally accepts two schemes, both keyed by the store's {@code webhook-secret}:
 * <ul>
 *   <li>{@code X-Tally-Signature: base64(HMAC-SHA256(secret, raw body))}: proves the body too. The sandbox simulator
 *       signs this way, and so can a relay in front of Tally.</li>
 *   <li>{@code Authorization: Basic base64(user:secret)}: what a Walmart subscription with
 *       {@code authDetails.authMethod = BASIC_AUTH} sends (the user name is not checked). Over HTTPS only.</li>
 * </ul>
 * Comparisons are constant-time and try every accepted secret without an early exit.
 */
final class WalmartWebhookAuth {

    static final String SIGNATURE_HEADER = "X-Tally-Signature";

    private WalmartWebhookAuth() {}

    static boolean verify(byte[] rawBody, String signature, String authorization, List<String> secrets) {
        if (signature != null && !signature.isBlank()) {
            // A signature that does not match is a failure even if a Basic header is present too.
            return WebhookSignatures.signedByAny(rawBody, signature, secrets);
        }
        return WebhookSignatures.isAnyOf(basicPassword(authorization), secrets);
    }

    private static String basicPassword(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : decoded.substring(colon + 1);
    }
}
