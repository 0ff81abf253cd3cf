package dev.porthole.servers;

import java.net.URL;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built WAR, unchanged, on Payara Micro 6 that the build downloaded, beside Payara's own Jersey and Jackson.
 * Its users are in Payara's file realm (a post-boot command file), mapped to Porthole's roles by
 * {@code WEB-INF/glassfish-web.xml}; its configuration file is named by a system property.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PayaraMicroIT extends ServerTerminalTests {
    @ArquillianResource
    private URL deployment;

    @Override
    TerminalScenario scenario() {
        return new TerminalScenario(deployment, 7625);
    }
}
