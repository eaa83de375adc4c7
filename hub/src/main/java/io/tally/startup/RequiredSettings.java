package io.tally.startup;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;

/**
 * Before any bean is made (the database pool, Tomcat), resolves the settings a profile may take from the environment
 * without a default (config/application-prod.yaml: ${TALLY_ADMIN_TOKEN}, ${SPRING_DATASOURCE_URL}, ...). Spring Boot's
 * binder would otherwise keep such a placeholder as the literal value, so an unset admin token would become the
 * text "${TALLY_ADMIN_TOKEN}" and an unset URL would fail later, deep in the pool. Every missing one is named at once.
 */
class RequiredSettings implements BeanFactoryPostProcessor {

    static final List<String> PROPERTIES = List.of(
            "spring.datasource.url", "spring.datasource.username", "spring.datasource.password", "tally.admin-token");

    private final Environment environment;

    RequiredSettings(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        List<String> missing = new ArrayList<>();
        for (String property : PROPERTIES) {
            try {
                environment.getProperty(property);
            } catch (IllegalArgumentException unresolvable) {
                String setting = StartupFailures.missingSetting(unresolvable);
                missing.add(setting == null ? property : setting);
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingSettingsException(missing);
        }
    }
}
