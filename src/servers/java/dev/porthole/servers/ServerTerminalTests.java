package dev.porthole.servers;

import java.io.File;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** The tests every application server runs: {@link TerminalScenario} against the built WAR, deployed unchanged. */
abstract class ServerTerminalTests {
    @Deployment(testable = false)
    static WebArchive war() {
        return ShrinkWrap.create(ZipImporter.class, "porthole.war")
                .importFrom(new File("target/porthole.war"))
                .as(WebArchive.class);
    }

    abstract TerminalScenario scenario();

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
