package io.tally.startup;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Start-up and stop of the hub as seen from outside: what the integration port answers before it is ready. */
@Configuration(proxyBeanMethods = false)
class StartupConfiguration {

    /** Static: a bean factory post-processor is made before every other bean. */
    @Bean
    static RequiredSettings requiredSettings(org.springframework.core.env.Environment environment) {
        return new RequiredSettings(environment);
    }

    @Bean
    StartupGate startupGate(@Value("${management.endpoints.web.base-path:/actuator}") String managementBasePath) {
        return new StartupGate(managementBasePath);
    }

    /** First of all filters: a request the hub cannot serve yet must not reach the token check or a controller. */
    @Bean
    FilterRegistrationBean<StartupGate> startupGateRegistration(StartupGate gate) {
        FilterRegistrationBean<StartupGate> registration = new FilterRegistrationBean<>(gate);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setName("startupGate");
        return registration;
    }
}
