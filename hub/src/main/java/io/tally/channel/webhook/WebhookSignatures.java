package io.tally.channel.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook authentication shared by the channels: base64 HMAC-SHA256 of the raw body, and constant-time comparison
 * against every accepted secret (two during a rotation) without an early exit, so the time taken does not reveal
 * which secret matched or how much of a guess was right. The simulators sign with code of their own on purpose: a
 * mistake here must not be repeated on the sending side and hidden by it.
 */
public final class WebhookSignatures {

    private WebhookSignatures() {}

    /** The base64 HMAC-SHA256 signature of the raw body, as given (surrounding spaces ignored), under any secret. */
    public static boolean signedByAny(byte[] rawBody, String signature, List<String> secrets) {
        if (signature == null || signature.isBlank()) {
            return false;
        }
        byte[] given = signature.trim().getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String secret : secrets) {
            ok |= MessageDigest.isEqual(sign(rawBody, secret).getBytes(StandardCharsets.US_ASCII), given);
        }
        return ok;
    }

    /** The value is one of the secrets itself (a shared secret sent as a password). */
    public static boolean isAnyOf(String value, List<String> secrets) {
        if (value == null) {
            return false;
        }
        byte[] given = value.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String secret : secrets) {
            ok |= MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), given);
        }
        return ok;
    }

    public static String sign(byte[] rawBody, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(rawBody));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
