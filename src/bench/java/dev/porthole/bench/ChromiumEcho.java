package dev.porthole.bench;

import dev.porthole.it.Browser;
import java.util.List;
import org.openqa.selenium.interactions.Actions;

/**
 * Keystroke echo in headless Chromium through Porthole's page: from the key's event in the page to the output handed
 * to xterm.js, which includes the browser's own socket, its inflater when the socket compresses, and the page's
 * script, the figure no peer publishes. The page measures it itself, through the hook it exposes only when its
 * address has {@code echo-probe} ({@code js/echo-probe.js}); keys are typed as trusted key events (ChromeDriver's
 * input, as a person's keyboard), one at a time, each after the previous echo arrived.
 */
final class ChromiumEcho {
    private static final String AWAIT_SAMPLE = """
            const done = arguments[arguments.length - 1];
            window.porthole.echoProbe.awaitSample(arguments[0], done);
            """;

    /**
     * One key, in milliseconds: from its event to the output handed to xterm.js ({@code total}), split where the page
     * hands the key to its socket: {@code toSend} is the browser's input path and the page's script, {@code fromSend}
     * the socket's round trip through Porthole and the engine, back to the page's message handler. A split the page
     * did not see (no send recorded for the key) is negative.
     */
    record Sample(double total, double toSend, double fromSend) {
    }

    private ChromiumEcho() {
    }

    /**
     * The same keys in the same browser through a plain WebSocket echo server ({@code src/bench/node/echo-server.mjs})
     * from the bare page it serves: what a key's echo costs any site in this browser, without Porthole, the engine or
     * xterm.js; with {@code draw} the page also shows each key as it is typed, as any terminal's page changes.
     */
    static List<Sample> control(int keys, boolean draw) throws Exception {
        Process server = new ProcessBuilder("node", "src/bench/node/echo-server.mjs")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (Browser browser = Browser.open()) {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            if (line == null || !line.startsWith("LISTENING ")) {
                throw new IllegalStateException("the echo server said " + line);
            }
            browser.driver().get("http://127.0.0.1:" + line.substring("LISTENING ".length()).strip() + "/"
                    + (draw ? "?draw" : ""));
            browser.await("the control's socket", () -> Boolean.TRUE.equals(browser.driver().executeScript(
                    "return window.porthole && window.porthole.echoProbe.open()")) ? true : null);
            return typeOneAtATime(browser, keys);
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /**
     * Milliseconds per key for {@code keys} keys in a new shell of {@code container}, as {@link Sample}s;
     * {@code user}'s password is USER-password.
     */
    static List<Sample> measure(String baseUrl, String user, String container, int keys) throws Exception {
        try (Browser browser = Browser.open()) {
            browser.fresh(baseUrl + "?envId=1&container=" + container + "&shell=/bin/sh&echo-probe");
            browser.signIn(user);
            browser.awaitPrompt();
            browser.type("stty raw -echo; echo R$((1+1))Y; head -c " + keys + "; stty sane\n");
            browser.awaitLine("R2Y");
            Thread.sleep(50); // head must be reading before the first key
            browser.driver().executeScript("window.porthole.echoProbe.take()");
            return typeOneAtATime(browser, keys);
        }
    }

    /**
     * Types {@code keys} keys as trusted key events, each once the previous one's echo arrived, and answers the
     * samples of the page's probe ({@code window.porthole.echoProbe}, which the control's page offers too).
     */
    private static List<Sample> typeOneAtATime(Browser browser, int keys) {
        Actions keyboard = new Actions(browser.driver());
        for (int i = 0; i < keys; i++) {
            keyboard.sendKeys(String.valueOf((char) ('a' + i % 26))).perform();
            browser.driver().executeAsyncScript(AWAIT_SAMPLE, i);
        }
        @SuppressWarnings("unchecked")
        List<List<Number>> samples = (List<List<Number>>) browser.driver().executeScript(
                "return window.porthole.echoProbe.take()");
        if (samples.size() != keys) {
            throw new IllegalStateException(samples.size() + " echoes for " + keys + " keys");
        }
        return samples.stream().map(s -> new Sample(s.get(0).doubleValue(), s.get(1).doubleValue(),
                s.get(2).doubleValue())).toList();
    }
}
