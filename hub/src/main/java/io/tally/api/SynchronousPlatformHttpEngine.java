package io.tally.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * platform-http on Spring MVC, with each route run on the servlet thread that received the request.
 *
 * <p>The stock consumer hands every request to a task executor and returns a CompletableFuture, so Spring MVC
 * suspends the request and dispatches it a second time (all filters and the DispatcherServlet again) to write
 * the answer. Tally's routes block anyway (the inbox commit is what the sender waits for), so the hand-off buys
 * nothing: profiling the ingest benchmark put a third of the hub's CPU in that second dispatch and the hand-off.
 * A null result tells Spring MVC that the handler has written the response itself.
 */
class SynchronousPlatformHttpEngine extends SpringBootPlatformHttpEngine {

    public SynchronousPlatformHttpEngine(int port) {
        super(port, Runnable::run);
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new SynchronousConsumer(endpoint, processor);
    }

    static final class SynchronousConsumer extends SpringBootPlatformHttpConsumer {

        private static final Logger log = LoggerFactory.getLogger(SynchronousConsumer.class);

        SynchronousConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            super(endpoint, processor, Runnable::run);
        }

        @Override
        public CompletableFuture<Void> service(HttpServletRequest request, HttpServletResponse response) {
            try {
                handleService(request, response);
            } catch (Exception e) {
                // As the stock consumer does: never leak the exception to the servlet container.
                log.warn("Error handling request due to: {}", e.getMessage(), e);
                try {
                    if (!response.isCommitted()) {
                        response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                    }
                } catch (Exception ignored) {
                    // the client is gone; nothing left to tell it
                }
            }
            return null;
        }
    }
}
