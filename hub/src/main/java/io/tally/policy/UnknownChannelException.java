package io.tally.policy;

import java.util.List;

/** A store's {@code channel} names no channel connector present in this hub: the hub does not start. */
public class UnknownChannelException extends IllegalStateException {

    public UnknownChannelException(String storeId, String channel, List<String> known) {
        super("tally.stores." + storeId + ".channel is '" + channel + "', which is not a channel this hub has a"
                + " connector for; set it to one of: " + String.join(", ", known));
    }
}
