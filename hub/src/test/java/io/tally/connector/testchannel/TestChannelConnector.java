package io.tally.connector.testchannel;

import io.tally.connector.ChannelConnector;
import io.tally.connector.ChannelPush;
import io.tally.connector.ConnectorTraits;
import io.tally.connector.PushCommand;
import io.tally.connector.PushOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A channel that lives only in the tests, to prove a connector needs no core change: channel {@code test}, pushed
 * by route {@code push-test} (test resource testchannel/push-test.camel.yaml), holding levels in memory. It is a
 * marketplace setting absolute levels. Not a component: a test imports it (bean name {@code testChannel}), so other
 * tests' hubs do not see it.
 */
public class TestChannelConnector implements ChannelConnector, ChannelPush {

    public static final String CHANNEL = "test";

    private final Map<String, Long> levels = new ConcurrentHashMap<>();
    private final List<PushCommand> pushes = new CopyOnWriteArrayList<>();

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public ConnectorTraits traits() {
        return ConnectorTraits.marketplaceSettingAbsoluteLevels();
    }

    @Override
    public PushOutcome push(PushCommand command) {
        pushes.add(command);
        levels.put(command.store() + "/" + command.ref(), command.level());
        return PushOutcome.confirmed(Instant.now());
    }

    /** The level the channel holds for a listing, or null when nothing was pushed to it. */
    public Long level(String store, String ref) {
        return levels.get(store + "/" + ref);
    }

    public List<PushCommand> pushes() {
        return List.copyOf(pushes);
    }
}
