/** Channel connectors: generic HTTP, Shopify, Amazon and Walmart (sub-packages, internal), webhook receipts. */
package io.tally.channel;
