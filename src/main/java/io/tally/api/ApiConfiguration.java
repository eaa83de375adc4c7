package io.tally.api;

import io.tally.policy.TallyProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    /** Runs after authentication (below): an anonymous caller learns nothing about what the API would accept. */
    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(TallyProperties properties) {
        var registration = new FilterRegistrationBean<>(new BodySizeLimitFilter(properties.http().maxBodyBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(TallyProperties properties) {
        var registration = new FilterRegistrationBean<>(new AdminTokenFilter(properties));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
