package io.tally.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import io.tally.policy.TallyProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards /api/** with the bearer token from {@code tally.admin-token}. Webhooks are not covered: they carry the
 * channel's own signature. With no token configured, a random one is generated and logged once, so the API is
 * never open by accident.
 */
public class AdminTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AdminTokenFilter.class);

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
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison: the answer time must not reveal how much of the token matched.
        if (!MessageDigest.isEqual(expected, given)) {
            response.setHeader("WWW-Authenticate", "Bearer");
            Problems.write(response, 401, "Unauthorized",
                    header == null ? "missing Authorization: Bearer token" : "wrong admin token");
            return;
        }
        chain.doFilter(request, response);
    }
}
