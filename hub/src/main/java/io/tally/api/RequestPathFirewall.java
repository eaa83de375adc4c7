package io.tally.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses (400 problem+json) every request whose path is not written in its one plain form, before anything
 * looks at the path. Tomcat and Spring MVC normalise a path on their own ({@code //api/items}, {@code /x/../api},
 * {@code /api;jsessionid=1/items} and {@code /%61pi/items} all reach the controller of {@code /api/items}), so a
 * check on the raw path and the path that is served could disagree: that was the admin-token bypass of issue 17.
 * With only plain paths let through, every filter sees the path that will be served.
 *
 * <p>The rules are those of Spring Security's {@code StrictHttpFirewall} (not on the class path: it would bring
 * Spring Security's auto-configuration with it): no path parameters ({@code ;}), no backslash, no empty segment
 * ({@code //}), no dot segment ({@code .} or {@code ..}), no encoded slash, backslash, dot, percent or semicolon,
 * no control characters, and every percent-escape two hex digits. Other percent-escapes (a space in a SKU) are
 * fine. As there, only the methods the application serves get in: any other (TRACE, WebDAV's, made-up ones) is
 * answered 405 here, where the servlet would answer 501 Not Implemented. Form bodies and compressed bodies are
 * refused with 415: no endpoint takes them, and the container or Camel would otherwise parse or inflate them.
 */
class RequestPathFirewall extends OncePerRequestFilter {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!METHODS.contains(request.getMethod())) {
            response.setHeader("Allow", String.join(", ", METHODS));
            Problems.write(response, 405, "Method Not Allowed", "method not served here");
            return;
        }
        String contentType = request.getContentType();
        if (contentType != null) {
            String type = contentType.toLowerCase(java.util.Locale.ROOT);
            if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/")) {
                // Tally serves no forms; a form body would be parsed by the container as parameters.
                Problems.write(
                        response,
                        415,
                        "Unsupported Media Type",
                        "send the body as application/json (text/csv for a catalog file)");
                return;
            }
        }
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            Problems.write(response, 415, "Unsupported Media Type", "compressed request bodies are not accepted");
            return;
        }
        String problem = problem(request.getRequestURI());
        if (problem != null) {
            Problems.write(
                    response,
                    400,
                    "Bad Request",
                    "the request path " + problem
                            + "; send the plain path (no dot segments, doubled or encoded slashes, or path parameters)");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Why the raw request path is refused, or null when it is in plain form. */
    static String problem(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return "is not an absolute path";
        }
        int n = rawPath.length();
        for (int i = 0; i < n; i++) {
            char c = rawPath.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "contains a control, space or non-ASCII character";
            }
            switch (c) {
                case ';' -> {
                    return "contains a path parameter (;)";
                }
                case '\\' -> {
                    return "contains a backslash";
                }
                case '/' -> {
                    if (i + 1 < n && rawPath.charAt(i + 1) == '/') {
                        return "contains an empty segment (//)";
                    }
                    int end = rawPath.indexOf('/', i + 1);
                    String segment = rawPath.substring(i + 1, end < 0 ? n : end);
                    if (segment.equals(".") || segment.equals("..")) {
                        return "contains a dot segment";
                    }
                }
                case '%' -> {
                    if (i + 2 >= n || hex(rawPath.charAt(i + 1)) < 0 || hex(rawPath.charAt(i + 2)) < 0) {
                        return "contains a malformed percent-escape";
                    }
                    int decoded = hex(rawPath.charAt(i + 1)) * 16 + hex(rawPath.charAt(i + 2));
                    if (decoded == '/'
                            || decoded == '\\'
                            || decoded == '.'
                            || decoded == '%'
                            || decoded == ';'
                            || decoded < 0x20
                            || decoded == 0x7f) {
                        return "contains an encoded '/', '\\', '.', '%', ';' or control character";
                    }
                    i += 2;
                }
                default -> {}
            }
        }
        return null;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
