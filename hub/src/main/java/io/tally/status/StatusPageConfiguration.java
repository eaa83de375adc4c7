package io.tally.status;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Serves the status page (static files under /status/) at its folder address, and records the push history. */
@Configuration(proxyBeanMethods = false)
class StatusPageConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/status", "/status/");
        registry.addViewController("/status/").setViewName("forward:/status/index.html");
    }

    /** A Camel EventNotifier bean: camel-spring-boot adds it to the context. */
    @Bean
    PushHistoryRecorder pushHistoryRecorder(
            JdbcTemplate jdbc,
            @Value("${tally.status.push-history-flush-ms}") long flushMs,
            @Value("${tally.status.push-history-days}") long days,
            @Value("${tally.status.push-history-queue}") int capacity) {
        return new PushHistoryRecorder(jdbc, Duration.ofMillis(flushMs), Duration.ofDays(days), capacity);
    }
}
