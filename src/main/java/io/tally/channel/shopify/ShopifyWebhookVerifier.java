package io.tally.channel.shopify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Shopify's webhook signature: base64 HMAC-SHA256 of the raw body with the app's client secret. */
final class ShopifyWebhookVerifier {

    private ShopifyWebhookVerifier() {
    }

    /** Constant-time comparison against each accepted secret (two during a secret rotation). */
    static boolean verify(byte[] rawBody, String signatureHeader, List<String> secrets) {
        if (signatureHeader == null || signatureHeader.isBlank() || secrets.isEmpty()) {
            return false;
        }
        byte[] given = signatureHeader.trim().getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String secret : secrets) {
            // No early exit: the time taken does not reveal which secret matched.
            ok |= MessageDigest.isEqual(sign(rawBody, secret).getBytes(StandardCharsets.US_ASCII), given);
        }
        return ok;
    }

    static String sign(byte[] rawBody, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(rawBody));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
