package io.tally.status;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Serves the status page (static files under /status/) at its folder address. */
@Configuration(proxyBeanMethods = false)
class StatusPageConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/status", "/status/");
        registry.addViewController("/status/").setViewName("forward:/status/index.html");
    }
}
