package io.tally.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies above {@code tally.http.max-body-bytes} before anything parses them, on every path
 * (deny by default, as the token check: a path spelt differently must not escape the limit). Bodies without a
 * Content-Length are read up to the limit and replayed.
 */
class BodySizeLimitFilter extends OncePerRequestFilter {

    /** Catalog files: POST to exactly these paths (a path spelt any other way keeps the small limit). */
    static final java.util.Set<String> IMPORT_PATHS =
            java.util.Set.of("/api/catalog/listings", "/api/catalog/bundles", "/api/catalog/counts");

    private final long defaultMaxBytes;
    private final long importMaxBytes;

    public BodySizeLimitFilter(long maxBytes, long maxImportBytes) {
        this.defaultMaxBytes = maxBytes;
        this.importMaxBytes = Math.max(maxBytes, maxImportBytes);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long maxBytes = "POST".equals(request.getMethod()) && IMPORT_PATHS.contains(request.getRequestURI())
                ? importMaxBytes
                : defaultMaxBytes;
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            reject(response, maxBytes);
            return;
        }
        if (declared >= 0) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body;
        try {
            body = readAtMost(request.getInputStream(), maxBytes + 1);
        } catch (IOException e) {
            // malformed chunked encoding, or the client went away: nothing to hand on
            if (!response.isCommitted()) {
                Problems.write(response, 400, "Bad Request", "the request body could not be read");
            }
            return;
        }
        if (body.length > maxBytes) {
            reject(response, maxBytes);
            return;
        }
        chain.doFilter(new ReplayedBody(request, body), response);
    }

    private static void reject(HttpServletResponse response, long maxBytes) throws IOException {
        Problems.write(response, 400, "Bad Request", "request body is larger than " + maxBytes + " bytes");
    }

    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while (out.size() < limit && (n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static final class ReplayedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
