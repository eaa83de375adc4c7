package io.tally.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.PlatformHttpListener;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Serves a platform-http route whose path is fixed (no {placeholders}, no prefix matching) straight from the
 * servlet filter chain, after authentication and the body-size limit, instead of through Spring MVC.
 *
 * <p>For such a route the DispatcherServlet only looks up the same consumer by path and method, but it costs about a
 * third of each ingest request's CPU (handler lookup, argument resolution, method validation, the request-handled
 * event). Everything else still goes through Spring MVC: a path or method this filter does not know, a templated
 * route, a route whose consumer has stopped (Spring MVC then answers as it would without this filter).
 */
public class PlatformHttpRouteFilter implements Filter, PlatformHttpListener {

    /** Consumers by "METHOD path"; a route without a method restriction is registered under every method. */
    private final Map<String, SpringBootPlatformHttpConsumer> routes = new ConcurrentHashMap<>();

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!routes.isEmpty()
                && req instanceof HttpServletRequest request
                && res instanceof HttpServletResponse response) {
            String path =
                    request.getRequestURI().substring(request.getContextPath().length());
            SpringBootPlatformHttpConsumer consumer = routes.get(key(request.getMethod(), path));
            if (consumer != null && consumer.isRunAllowed() && !consumer.isSuspended()) {
                // The request metric is tagged with the route's path, as Spring MVC would tag it.
                ServerHttpObservationFilter.findObservationContext(request)
                        .ifPresent(context -> context.setPathPattern(path));
                // The synchronous engine has answered when service returns; its future carries nothing more.
                var unused = consumer.service(request, response);
                return;
            }
        }
        chain.doFilter(req, res);
    }

    @Override
    public void registerHttpEndpoint(HttpEndpointModel model) {
        if (!(model.getConsumer() instanceof SpringBootPlatformHttpConsumer consumer)) {
            return;
        }
        PlatformHttpEndpoint endpoint = consumer.getEndpoint();
        String path = model.getUri();
        if (path == null || path.contains("{") || endpoint.isMatchOnUriPrefix()) {
            return; // Spring MVC's path matching is needed
        }
        String verbs = model.getVerbs() != null ? model.getVerbs() : endpoint.getHttpMethodRestrict();
        String[] methods = verbs == null || verbs.isBlank()
                ? new String[] {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
                : verbs.split(",");
        for (String method : methods) {
            routes.put(key(method.trim(), path), consumer);
        }
    }

    @Override
    public void unregisterHttpEndpoint(HttpEndpointModel model) {
        routes.values().removeIf(consumer -> consumer == model.getConsumer());
    }

    private static String key(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + ' ' + path;
    }
}
