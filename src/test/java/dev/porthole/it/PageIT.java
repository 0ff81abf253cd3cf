package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The page in headless Chromium, against the real server and engine. Each test leaves a screenshot in target/screenshots. */
@ExtendWith(TestServer.class)
class PageIT {
    private static Browser browser;
    private String baseUrl;

    @BeforeAll
    static void openBrowser() throws Exception {
        browser = Browser.open();
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void signedOut(TestServer.Running server) {
        baseUrl = server.baseUrl();
        browser.resizeWindow(1280, 800);
        browser.fresh(baseUrl);
    }

    @AfterEach
    void screenshotAndLeave(TestInfo test) {
        browser.screenshot(test.getTestMethod().orElseThrow().getName());
        List<String> errors = browser.scriptErrors();
        browser.driver().get("about:blank"); // closes this test's terminals now, not in the next test
        assertEquals(List.of(), errors, "script errors or CSP violations in the console");
    }

    @Test
    void aPersonSignsInPicksAContainerAndGetsAWorkingTerminal() {
        browser.signIn("alice");
        WebElement row = browser.await("the ph-busybox row", () -> browser.visible("tr[data-container='ph-busybox']"));
        assertTrue(row.getText().contains("porthole/busybox:test"), row.getText());
        assertTrue(row.getText().contains("running"), row.getText());
        assertEquals(null, browser.visible("tr[data-container='ph-stopped']"), "stopped containers are hidden");

        browser.driver().findElement(By.id("filter")).sendKeys("busy");
        browser.await("the filter to hide ph-bash", () -> browser.visible("tr[data-container='ph-bash']") == null ? true : null);
        browser.visible("tr[data-container='ph-busybox']").click();

        browser.await("the shells found", () -> browser.visible("#open-shells .chip"));
        List<String> chips = browser.driver().findElements(By.cssSelector("#open-shells .chip")).stream()
                .map(WebElement::getText).toList();
        assertEquals(List.of("/bin/bash", "/bin/ash", "/bin/sh"), chips);
        assertEquals("/bin/sh", browser.driver().findElement(By.id("open-shell")).getDomProperty("value"));
        assertEquals("root", browser.driver().findElement(By.id("open-user")).getDomProperty("value"));
        browser.screenshot("open-dialog");
        browser.driver().findElement(By.id("open-submit")).click();

        browser.awaitStatus("ph-busybox · /bin/sh as root");
        browser.awaitPrompt();
        assertTrue(browser.terminalHasFocus(), "after Open terminal the keyboard is in the terminal, without a click");
        browser.type("echo hello-$((6*7))\n");
        browser.awaitLine("hello-42");
        assertTrue(browser.driver().getCurrentUrl().endsWith("?envId=1&container=ph-busybox&shell=%2Fbin%2Fsh"),
                browser.driver().getCurrentUrl());
        assertEquals("ph-busybox · sh", browser.visible(".terminal-tab[aria-selected='true']").getText().replace("×", "").trim());
    }

    @Test
    void thePageLoadsWithItsIconAndNothingInTheConsole() throws Exception {
        browser.await("the sign-in form", () -> browser.visible("#signin-user"));
        String icon = browser.driver().findElement(By.cssSelector("link[rel='icon']")).getDomProperty("href");
        assertEquals(baseUrl + "favicon.svg", icon);
        java.net.http.HttpResponse<String> served = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(icon)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, served.statusCode());
        assertEquals("image/svg+xml", served.headers().firstValue("Content-Type").orElse(""));
        assertTrue(served.body().startsWith("<svg"), served.body());
        browser.signIn("alice");
        browser.await("the containers", () -> browser.visible("tr[data-container='ph-busybox']"));
        // Everything the console said, less the one answer the page asks for on purpose: whether a session exists.
        List<String> said = browser.consoleMessages().stream()
                .filter(m -> !m.matches(".*/api/auth/session - Failed to load resource: .* status of 401.*"))
                .toList();
        assertEquals(List.of(), said, "the console, on load and sign-in");
    }

    @Test
    void resizingTheWindowReachesTheShell() {
        openByLink("ph-busybox", "/bin/sh");
        String before = browser.terminalSize();
        browser.type("echo size-$(stty size)-end\n");
        browser.awaitLine("size-" + before + "-end");

        browser.resizeWindow(900, 560);
        String after = browser.await("the terminal to shrink", () -> {
            String now = browser.terminalSize();
            return now.equals(before) ? null : now;
        });
        // The resize reaches the engine a moment after the terminal re-fits: ask until the shell agrees.
        browser.await("stty to report " + after, () -> {
            browser.type("echo size-$(stty size)-end\n");
            Engine.sleep(300);
            return browser.terminalText().lines().anyMatch(("size-" + after + "-end")::equals) ? true : null;
        });
        assertNotEquals(before, after);
    }

    @Test
    void aFullScreenProgramUsesTheAlternateScreenAndTheWholeWindow() {
        openByLink("ph-busybox", "/bin/sh");
        browser.type("vi\n");
        browser.await("vi on the alternate screen", () -> "alternate".equals(
                browser.driver().executeScript("return window.porthole.activeTerminal().buffer.active.type")) ? true : null);
        int rows = Integer.parseInt(browser.terminalSize().split(" ")[0]);
        // An empty file: the cursor's line, a tilde on every other line but the last, the status line.
        browser.await("vi to draw " + (rows - 2) + " tildes", () ->
                browser.terminalText().lines().filter("~"::equals).count() == rows - 2 ? true : null);
        browser.screenshot("vi");
        browser.type(Keys.ESCAPE);
        Engine.sleep(200); // apart from the next key, or vi reads an Alt-: sequence
        browser.type(":q!\n");
        browser.await("the normal screen again", () -> "normal".equals(
                browser.driver().executeScript("return window.porthole.activeTerminal().buffer.active.type")) ? true : null);
    }

    @Test
    void multiByteOutputArrivesIntact() {
        openByLink("ph-busybox", "/bin/sh");
        // Octal escapes: the keystrokes are ASCII, the output is é€😀 and CJK.
        browser.type("printf 'mb:\\303\\251\\342\\202\\254\\360\\237\\230\\200 \\344\\270\\255\\346\\226\\207\\345\\255\\227:end\\n'\n");
        browser.awaitLine("mb:é€😀 中文字:end");
        // 500 copies in one burst: the engine's 1 KiB reads end inside characters many times.
        browser.type("i=0; while [ $i -lt 500 ]; do printf '\\303\\251\\342\\202\\254\\360\\237\\230\\200'; i=$((i+1)); done; echo; echo burst-done\n");
        String text = browser.awaitLine("burst-done");
        assertFalse(text.contains("\uFFFD"), "a character was split:\n" + text);
        assertTrue(text.contains("é€😀".repeat(500)), "the burst arrived whole:\n" + text);
        // Typed (not printed) non-ASCII reaches the shell too.
        browser.type("echo typed-\u00e9\u4e2d-ok\n");
        browser.awaitLine("typed-\u00e9\u4e2d-ok");
    }

    @Test
    void thePageAsksForBinaryOutput() {
        openByLink("ph-busybox", "/bin/sh");
        // 0xff is never UTF-8. Over text frames the server turns it into U+FFFD; over binary frames it reaches
        // xterm.js as it is, whose decoder skips it. So only a page that asked for porthole.binary shows "<>".
        browser.type("printf 'raw:<\\377>:%d\\n' $((2*3))\n");
        String text = browser.awaitLine("raw:<>:6");
        assertFalse(text.contains("\uFFFD"), text);
    }

    @Test
    void aPasteLargerThanOneSocketMessageArrivesWhole() {
        openByLink("ph-busybox", "/bin/sh");
        browser.type("stty -echo; cat > /tmp/paste-2731; stty echo\n");
        Engine.sleep(300);
        // 1200 lines of 1000 characters: 1.2 MB, past the server's 1 MiB message limit unless the page splits it.
        browser.driver().executeScript("window.porthole.activeTerminal().paste(('x'.repeat(999) + 'y\\n').repeat(1200));");
        browser.type("\u0004");
        browser.type("echo pasted-$(wc -c < /tmp/paste-2731)-$(grep -c y /tmp/paste-2731); rm -f /tmp/paste-2731\n");
        browser.awaitLine("pasted-1201200-1200");
    }

    @Test
    void theExitCodeIsShownAndANewSessionIsOffered() {
        openByLink("ph-busybox", "/bin/sh");
        browser.type("exit 3\n");
        browser.awaitStatus("Process exited with code 3. Press Enter for a new session.");
        WebElement again = browser.await("the New session button", () -> browser.visible(".terminal-pane:not([hidden]) .again.shown"));
        browser.screenshot("exited");
        again.click();
        browser.awaitStatus("ph-busybox · /bin/sh as root");
        browser.type("echo again-$((1+1))\n");
        browser.awaitLine("again-2");
        assertEquals(1, browser.driver().findElements(By.cssSelector(".terminal-tab")).size(), "the new session took the old tab's place");
        browser.type("exit 0\n");
        browser.awaitStatus("Process exited with code 0");
        browser.type("\n"); // Enter on a finished terminal: the next session
        browser.awaitStatus("ph-busybox · /bin/sh as root");
    }

    @Test
    void severalTerminalsLiveInTheirOwnTabs() {
        openByLink("ph-busybox", "/bin/sh");
        browser.type("echo first-tab-$((2*3))\n");
        browser.awaitLine("first-tab-6");
        browser.driver().findElement(By.id("tab-home")).click();
        browser.await("the ph-bash row", () -> browser.visible("tr[data-container='ph-bash']")).click();
        browser.await("the shells found", () -> browser.visible("#open-shells .chip"));
        browser.driver().findElement(By.cssSelector("#open-shells .chip")).click(); // /bin/bash, found first
        browser.driver().findElement(By.id("open-submit")).click();
        browser.awaitStatus("ph-bash · /bin/bash as root");
        browser.awaitPrompt();
        browser.type("echo second-tab-$((3*3))\n");
        browser.awaitLine("second-tab-9");
        browser.type("ls --color=always /; printf '\\033[1;32mgreen\\033[0m \\033[1;33myellow\\033[0m \\033[1;34mblue\\033[0m \\303\\251\\342\\202\\254\\360\\237\\230\\200\\n'\n");
        browser.awaitLine("green yellow blue é€😀");
        browser.screenshot("tabs");
        assertFalse(browser.terminalText().contains("first-tab-6"));

        browser.driver().findElements(By.cssSelector(".terminal-tab")).get(0).click();
        browser.awaitLine("first-tab-6");
        assertFalse(browser.terminalText().contains("second-tab-9"));
        assertTrue(browser.status().startsWith("ph-busybox"), browser.status());
    }

    @Test
    void aContainerWithoutAShellSaysSoInTheDialog() {
        browser.signIn("alice");
        browser.await("the ph-noshell row", () -> browser.visible("tr[data-container='ph-noshell']")).click();
        browser.await("the dialog's verdict", () -> {
            WebElement shells = browser.visible("#open-shells");
            return shells != null && shells.getText().startsWith("No shell found") ? true : null;
        });
        browser.driver().findElement(By.id("open-cancel")).click();
        assertEquals(null, browser.visible("#open-dialog"));
    }

    @Test
    void aDeepLinkUnderAContextPathOpensBashAfterSignIn() throws Exception {
        TestServer.Running other = TestServer.start("/porthole");
        try {
            String link = other.baseUrl() + "?envId=1&container=ph-bash&shell=/bin/bash";
            assertTrue(link.contains("/porthole/?"), link);
            browser.fresh(link);
            browser.signIn("alice");
            browser.awaitStatus("ph-bash · /bin/bash as root");
            browser.type("echo \"bash-${BASH_VERSINFO[0]}-$((7*6))\"\n");
            browser.await("bash's answer", () -> browser.terminalText().lines()
                    .anyMatch(l -> l.matches("bash-\\d+-42")) ? true : null);
            browser.screenshot("deep-link-bash");
        } finally {
            other.close();
        }
    }

    @Test
    void aDroppedConnectionIsSaidPlainly(TestServer.Running server) throws Exception {
        int port = java.net.URI.create(server.baseUrl()).getPort();
        try (TcpProxy proxy = new TcpProxy(port)) {
            String proxied = server.baseUrl().replace(":" + port + "/", ":" + proxy.port() + "/");
            browser.fresh(proxied + "?envId=1&container=ph-busybox&shell=/bin/sh");
            browser.signIn("alice");
            browser.awaitStatus("ph-busybox · /bin/sh as root");
            browser.type("echo before-drop-$((5*5))\n");
            browser.awaitLine("before-drop-25");
            proxy.cutAll();
            browser.awaitStatus("Connection lost");
            assertTrue(browser.terminalText().contains("before-drop-25"), "the output stays readable");
            assertTrue(browser.visible(".terminal-pane:not([hidden]) .again.shown") != null, "a new session is offered");
        }
    }

    /** Opens a terminal by deep link, signing in on the way as alice. */
    private void openByLink(String container, String shell) {
        browser.fresh(baseUrl + "?envId=1&container=" + container + "&shell=" + shell);
        browser.signIn("alice");
        browser.awaitStatus(container + " · " + shell + " as root");
        browser.awaitPrompt();
        assertTrue(browser.terminalHasFocus(), "a terminal opened by link has the keyboard");
    }
}
