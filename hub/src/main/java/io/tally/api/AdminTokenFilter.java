package io.tally.api;

import io.tally.policy.TallyProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Every request needs the bearer token from {@code tally.admin-token}, except the few paths that are public by
 * design: the channel webhooks (each carries its channel's own signature, checked by its route) and the status
 * page's static files (the page asks for the token and sends it with every API call it makes). Deny by default: a
 * path nobody thought of, a new endpoint, a spelling variant of a path, all need the token. The path judged is the
 * one the application serves (decoded, as Spring MVC matches it); {@link RequestPathFirewall} has already refused
 * every path that has more than one spelling. With no token configured, a random one is generated and logged once,
 * so the API is never open by accident.
 */
class AdminTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AdminTokenFilter.class);

    /** Webhook deliveries: any method (their routes answer 405 to anything but POST). */
    private static final Pattern WEBHOOK = Pattern.compile("/webhooks/(shopify|walmart)/[^/]+");
    /** The status page's static files (GET and HEAD only). */
    private static final Pattern STATUS_PAGE = Pattern.compile("/status(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*/?");

    private static final UrlPathHelper PATHS = new UrlPathHelper();

    private final byte[] expected;

    public AdminTokenFilter(TallyProperties properties) {
        String token = properties.adminToken();
        if (token == null || token.isBlank()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            token = HexFormat.of().formatHex(random);
            log.warn("tally.admin-token is not set; generated one for this run: {}", token);
        }
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return isPublic(request.getMethod(), servedPath(request));
    }

    static boolean isPublic(String method, String path) {
        if (WEBHOOK.matcher(path).matches()) {
            return true;
        }
        return ("GET".equals(method) || "HEAD".equals(method))
                && STATUS_PAGE.matcher(path).matches();
    }

    /** The path within the application, decoded, as the handler mapping sees it. */
    private static String servedPath(HttpServletRequest request) {
        String raw = request.getRequestURI();
        if (raw.indexOf('%') < 0
                && raw.indexOf(';') < 0
                && request.getContextPath().isEmpty()) {
            return raw; // the plain case (every ingest request): nothing to decode
        }
        return PATHS.getPathWithinApplication(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison: the answer time must not reveal how much of the token matched.
        if (!MessageDigest.isEqual(expected, given)) {
            response.setHeader("WWW-Authenticate", "Bearer");
            Problems.write(
                    response,
                    401,
                    "Unauthorized",
                    header == null ? "missing Authorization: Bearer token" : "wrong admin token");
            return;
        }
        chain.doFilter(request, response);
    }
}
