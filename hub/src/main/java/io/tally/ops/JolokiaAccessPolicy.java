package io.tally.ops;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;

/**
 * Jolokia's access policy (a standard {@code jolokia-access.xml}), selected by {@code jolokia.config.restrictorClass}
 * so it cannot silently go missing: a policy file that is not found makes Jolokia allow everything. Operators may
 * read every Camel MBean (routes with their live counters, processors, endpoints, thread pools) and the JVM's, may
 * read the route definitions and statistics Hawtio's route diagram draws, and may only start, stop, suspend or resume
 * a route. No writes, no other operations.
 */
public class JolokiaAccessPolicy extends PolicyRestrictor {

    /**
     * Commands listed under {@code <commands>} are allowed on every MBean; {@code read} and {@code exec} are not
     * listed, so they are allowed only where {@code <allow>} names the MBean and the attribute or operation.
     * {@code mode="read"} keeps the attributes read-only ({@code write} is never allowed).
     */
    static final String POLICY = """
            <?xml version="1.0" encoding="UTF-8"?>
            <restrict>
              <http>
                <method>get</method>
                <method>post</method>
              </http>
              <commands>
                <command>list</command>
                <command>search</command>
                <command>version</command>
              </commands>
              <allow>
                <!-- Hawtio's route diagram (its start page) and route source: the route definitions as written, with
                     property placeholders NOT resolved (dumpRoutesAsXml() is dumpRoutesAsXml(false, true)), and their
                     counters. The variants that resolve placeholders stay refused: they could print configured
                     values. -->
                <mbean>
                  <name>org.apache.camel:type=context,*</name>
                  <attribute mode="read">*</attribute>
                  <operation>dumpRoutesAsXml()</operation>
                  <operation>dumpRoutesStatsAsXml</operation>
                  <operation>dumpRoutesStatsAsXml(boolean,boolean)</operation>
                </mbean>
                <mbean>
                  <name>org.apache.camel:type=routes,*</name>
                  <operation>dumpRouteStatsAsXml()</operation>
                  <attribute mode="read">*</attribute>
                  <!-- Jolokia checks the operation as requested: with or without its signature -->
                  <operation>start</operation>
                  <operation>start()</operation>
                  <operation>stop</operation>
                  <operation>stop()</operation>
                  <operation>stop(long)</operation>
                  <operation>stop(java.lang.Long,java.lang.Boolean)</operation>
                  <operation>suspend</operation>
                  <operation>suspend()</operation>
                  <operation>suspend(long)</operation>
                  <operation>resume</operation>
                  <operation>resume()</operation>
                </mbean>
                <mbean>
                  <name>org.apache.camel:*</name>
                  <attribute mode="read">*</attribute>
                </mbean>
                <mbean>
                  <name>java.lang:*</name>
                  <attribute mode="read">*</attribute>
                </mbean>
              </allow>
            </restrict>
            """;

    public JolokiaAccessPolicy() {
        super(new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8)));
    }
}
