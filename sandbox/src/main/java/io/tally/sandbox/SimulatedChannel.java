package io.tally.sandbox;

import java.util.Locale;

/** The channels the sandbox has a simulator for. */
enum SimulatedChannel {
    SHOPIFY,
    AMAZON,
    WALMART,
    HTTP;

    /** The channel's name in store config, as its connector gives it. */
    String channelName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The simulator of a configured channel name, or null when the sandbox simulates no such channel. */
    static SimulatedChannel of(String channelName) {
        for (SimulatedChannel channel : values()) {
            if (channel.channelName().equals(channelName)) {
                return channel;
            }
        }
        return null;
    }
}
