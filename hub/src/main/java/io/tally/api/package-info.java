/** Admin and events API (contract C1): controllers, admin token check, path firewall, problem+json answers. */
package io.tally.api;
