package dev.porthole.servers;

import java.net.URL;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built WAR, unchanged, on a standalone Tomcat that the build downloaded: 10.1 or 11, whichever
 * {@code arquillian.launch} names. Its users come from {@code tomcat-users.xml}, its configuration file from a
 * JNDI environment entry in {@code conf/context.xml} (src/servers/tomcat).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TomcatIT extends ServerTerminalTests {
    @ArquillianResource
    private URL deployment;

    @Override
    TerminalScenario scenario() {
        boolean eleven = "tomcat-11".equals(System.getProperty("arquillian.launch"));
        return new TerminalScenario(deployment, eleven ? 7623 : 7621);
    }
}
