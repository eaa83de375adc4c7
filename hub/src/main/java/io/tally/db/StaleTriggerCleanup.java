package io.tally.db;

import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The clustered job store outlives the config: a store taken out of {@code tally.stores} leaves its poller's trigger
 * in {@code qrtz_triggers}, where it would go on firing on some replica (each time an error, since no route takes
 * it). Once this hub's routes are up, the stored triggers of group {@code tally} that no quartz: endpoint of this
 * context owns are unscheduled. Every replica runs the same config (docs/scaling.md), so what one does not own, none
 * does.
 */
@Component
class StaleTriggerCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(StaleTriggerCleanup.class);
    private static final String GROUP = "tally";

    private final CamelContext camel;

    StaleTriggerCleanup(CamelContext camel) {
        this.camel = camel;
    }

    @EventListener(ApplicationReadyEvent.class)
    void unscheduleTriggersNoRouteOwns() throws SchedulerException {
        if (camel.hasComponent("quartz") == null) {
            return;
        }
        Scheduler scheduler =
                camel.getComponent("quartz", QuartzComponent.class).getScheduler();
        Set<TriggerKey> owned = camel.getEndpoints().stream()
                .filter(QuartzEndpoint.class::isInstance)
                .map(e -> ((QuartzEndpoint) e).getTriggerKey())
                .collect(Collectors.toSet());
        for (TriggerKey stored : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(GROUP))) {
            if (!owned.contains(stored) && scheduler.unscheduleJob(stored)) {
                LOG.info(
                        "Removed the stored schedule '{}': no route of this configuration runs it any more (a store"
                                + " or job taken out of the config)",
                        stored.getName());
            }
        }
    }
}
