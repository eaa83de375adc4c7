package io.tally.connector;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** The channel connectors present (every {@link ChannelConnector} bean), by channel name. */
@Component
public class ConnectorRegistry {

    private final Map<String, ChannelConnector> connectors = new TreeMap<>();

    public ConnectorRegistry(List<ChannelConnector> found) {
        for (ChannelConnector connector : found) {
            String channel = connector.channel();
            if (channel == null || !channel.equals(channel.trim().toLowerCase(Locale.ROOT)) || channel.isEmpty()) {
                throw new IllegalStateException(
                        "connector " + connector.getClass().getName() + " must name its channel in lower case, not '"
                                + channel + "'");
            }
            ChannelConnector before = connectors.putIfAbsent(channel, connector);
            if (before != null) {
                throw new IllegalStateException("two connectors for channel '" + channel + "': "
                        + before.getClass().getName() + " and "
                        + connector.getClass().getName());
            }
        }
    }

    public Optional<ChannelConnector> find(String channel) {
        return Optional.ofNullable(channel).map(connectors::get);
    }

    /** The known channel names, sorted (for messages). */
    public List<String> channels() {
        return List.copyOf(connectors.keySet());
    }
}
