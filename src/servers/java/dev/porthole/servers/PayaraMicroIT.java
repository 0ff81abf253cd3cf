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
 * The built WAR, unchanged, on Payara Micro 6 that the build downloaded, beside Payara's own Jersey and Jackson.
 * Its users are in Payara's file realm (a post-boot command file), mapped to Porthole's roles by
 * {@code WEB-INF/glassfish-web.xml}; its configuration file is named by a system property.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PayaraMicroIT {
    @ArquillianResource
    private URL deployment;

    @Deployment(testable = false)
    static WebArchive war() {
        return ShrinkWrap.create(ZipImporter.class, "porthole.war")
                .importFrom(new File("target/porthole.war"))
                .as(WebArchive.class);
    }

    private TerminalScenario scenario() {
        return new TerminalScenario(deployment, 7625);
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
