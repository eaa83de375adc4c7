package io.tally.startup;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tomcat takes connections as soon as the context refreshes, seconds before Camel has started its routes: in that
 * window the event intake (a Camel platform-http route) is not mapped yet (404) and a listing stored by the admin API
 * cannot hand its push to a stopped CamelContext (500, the write half done). The same holds while the hub stops.
 *
 * <p>So every request on the integration port is answered 503 with Retry-After and a problem+json body, before
 * anything runs, until Spring Boot declares the application ready ({@link ReadinessState#ACCEPTING_TRAFFIC}, after
 * Camel has started), and again from the moment it refuses traffic (the context closing). The readiness probe
 * ({@code /actuator/health/readiness} on the management port) reports the same state.
 */
class StartupGate extends OncePerRequestFilter {

    static final int RETRY_AFTER_SECONDS = 2;

    private final String managementPrefix;
    private volatile ReadinessState readiness = ReadinessState.REFUSING_TRAFFIC;
    private volatile boolean started;

    public StartupGate(String managementBasePath) {
        this.managementPrefix = managementBasePath.endsWith("/") ? managementBasePath : managementBasePath + "/";
    }

    @EventListener
    public void onReadiness(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
            started = true;
        }
        readiness = event.getState();
    }

    public boolean open() {
        return readiness == ReadinessState.ACCEPTING_TRAFFIC;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (open()) {
            chain.doFilter(request, response);
            return;
        }
        String phase = started ? "stopping" : "starting";
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                        + "\"detail\":\"Tally is " + phase
                        + " and takes no requests at the moment; nothing was done, retry after "
                        + RETRY_AFTER_SECONDS + " s\"}");
    }

    /** The management port (when it is the same as the integration port) keeps answering, so probes see the state. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The servlet path is the one Tomcat decoded and normalised, so no spelling of another path passes as this one.
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.startsWith(managementPrefix)
                || path.equals(managementPrefix.substring(0, managementPrefix.length() - 1));
    }
}
