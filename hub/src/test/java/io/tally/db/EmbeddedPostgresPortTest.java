package io.tally.db;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresPortTest {

    @Test
    void aFixedPortInUseStopsTheStartWithAReason() throws Exception {
        int port;
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedPostgresConfiguration.requirePortFree(port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("tally.embedded-db.port " + port + " is already in use");
        }
        assertThatCode(() -> EmbeddedPostgresConfiguration.requirePortFree(port))
                .doesNotThrowAnyException();
    }
}
