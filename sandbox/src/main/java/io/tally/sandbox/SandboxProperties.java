package io.tally.sandbox;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tally.sandbox.*}: whether the sandbox runs, and the loopback ports of its channel simulators. Fixed ports, so
 * the URLs in the sandbox stores' config ({@code api-url}, {@code push-url}) and in the walkthrough stay the same.
 *
 * @param enabled      start the simulators and seed the examples (the {@code sandbox} profile turns it on)
 * @param channelPort  the generic {@code http} channel simulator
 * @param shopifyPort  the Shopify simulator (every simulated shop under {@code /shops/<store-id>})
 * @param amazonPort   the Amazon simulator (SP-API and Login with Amazon)
 * @param walmartPort  the Walmart simulator
 */
@ConfigurationProperties("tally.sandbox")
public record SandboxProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("9901") int channelPort,
        @DefaultValue("9902") int shopifyPort,
        @DefaultValue("9903") int amazonPort,
        @DefaultValue("9904") int walmartPort) {}
