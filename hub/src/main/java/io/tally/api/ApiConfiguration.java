package io.tally.api;

import io.tally.policy.TallyProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.catalina.core.StandardHost;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    /** First of all: a path with more than one spelling is refused before any filter judges it. */
    @Bean
    FilterRegistrationBean<RequestPathFirewall> requestPathFirewall() {
        var registration = new FilterRegistrationBean<>(new RequestPathFirewall());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /**
     * Tomcat's own refusals (malformed request line or percent-encoding, headers too large) are answered as
     * problem+json, not with its HTML error page. An encoded slash is passed to {@link RequestPathFirewall} (which
     * refuses it with a reason) rather than refused by Tomcat with HTML.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorPages() {
        return factory -> {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
            factory.addConnectorCustomizers(connector -> {
                connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
                // TRACE reaches RequestPathFirewall, which refuses it with problem+json (Tomcat: empty 405).
                connector.setAllowTrace(true);
            });
        };
    }

    /** Runs after authentication (below): an anonymous caller learns nothing about what the API would accept. */
    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(TallyProperties properties) {
        var registration = new FilterRegistrationBean<>(new BodySizeLimitFilter(
                properties.http().maxBodyBytes(), properties.http().maxImportBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(TallyProperties properties) {
        var registration = new FilterRegistrationBean<>(new AdminTokenFilter(properties));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * Fixed-path platform-http routes (POST /api/events) are served here, after the two filters above, without Spring
     * MVC. It learns the routes as their consumers start, so it is registered with platform-http before any route.
     */
    @Bean
    FilterRegistrationBean<PlatformHttpRouteFilter> platformHttpRouteFilter(CamelContext camelContext) {
        var filter = new PlatformHttpRouteFilter();
        camelContext.getComponent("platform-http", PlatformHttpComponent.class).addPlatformHttpListener(filter);
        var registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        return registration;
    }

    /**
     * Replaces Camel's own engine (it backs off when one exists): routes run on the request's servlet thread.
     * The name is the one platform-http looks up in the registry.
     */
    @Bean("platform-http-engine")
    PlatformHttpEngine platformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SynchronousPlatformHttpEngine(port);
    }
}
