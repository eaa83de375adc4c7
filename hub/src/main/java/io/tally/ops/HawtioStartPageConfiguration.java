package io.tally.ops;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hawtio's own start page is Camel's route diagram, which draws "An error occurred during drawing of the diagram"
 * for Tally's YAML routes (their XML dump carries no layout Hawtio can draw). An operator opening the console lands
 * on the Camel routes table instead: every route by id with its state and counters, which is what they come for.
 * Registered on the management server (its own port and context), where Hawtio lives.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
class HawtioStartPageConfiguration {

    static final String START_PAGE = "camel/routes";

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> hawtioStartPage(org.springframework.core.env.Environment environment) {
        String base = environment.getProperty("management.endpoints.web.base-path", "/actuator") + "/hawtio";
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String path = request.getRequestURI()
                        .substring(request.getContextPath().length());
                // Only the operator's own request: Hawtio serves its pages by forwarding to index.html.
                if (request.getDispatcherType() == DispatcherType.REQUEST
                        && "GET".equals(request.getMethod())
                        && (path.equals(base) || path.equals(base + "/"))) {
                    response.sendRedirect(request.getContextPath() + base + "/" + START_PAGE);
                    return;
                }
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns(base, base + "/");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
