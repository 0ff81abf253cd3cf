package dev.porthole.servers;

import java.io.File;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built WAR, unchanged, on a standalone Tomcat that the build downloaded: 10.1 or 11, whichever
 * {@code arquillian.launch} names. Its users come from {@code tomcat-users.xml}, its configuration file from a
 * JNDI environment entry in {@code conf/context.xml} (src/servers/tomcat).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TomcatIT {
    @ArquillianResource
    private URL deployment;

    @Deployment(testable = false)
    static WebArchive war() {
        return ShrinkWrap.create(ZipImporter.class, "porthole.war")
                .importFrom(new File("target/porthole.war"))
                .as(WebArchive.class);
    }

    private TerminalScenario scenario() {
        boolean eleven = "tomcat-11".equals(System.getProperty("arquillian.launch"));
        return new TerminalScenario(deployment, eleven ? 7623 : 7621);
    }

    @Test
    void isServedUnderItsContextPath() {
        scenario().isServedUnderItsContextPath();
    }

    @Test
    void sessionCookieIsScopedToTheContextPath() throws Exception {
        scenario().sessionCookieIsScopedToTheContextPath();
    }

    @Test
    void aRealmUserRunsATerminalToItsEnd() {
        scenario().aRealmUserRunsATerminalToItsEnd();
    }

    @Test
    void closingTheSocketLeavesNoProcess() {
        scenario().closingTheSocketLeavesNoProcess();
    }

    @Test
    void aUserWithoutTheRoleIsRefused() {
        scenario().aUserWithoutTheRoleIsRefused();
    }
}
