package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium on Porthole's page, through Debian's {@code chromium} and {@code chromedriver} (installed by
 * {@code .ci/run}). Both paths are given explicitly, so Selenium Manager never looks for, or downloads, either.
 */
public final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("porthole.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("porthole.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target/screenshots");
    static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Every line of the active terminal's buffer, wrapped rows joined back into one line. */
    private static final String BUFFER_TEXT = """
            const t = window.porthole && window.porthole.activeTerminal();
            if (!t) return null;
            const b = t.buffer.active, lines = [];
            for (let i = 0; i < b.length; i++) {
              const line = b.getLine(i), text = line.translateToString(true);
              if (line.isWrapped && lines.length) lines[lines.length - 1] += text; else lines.push(text);
            }
            return lines.join('\\n');
            """;

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Browser open() throws IOException {
        System.setProperty("SE_OFFLINE", "true");
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + " (Debian: apt-get install chromium chromium-driver)");
        }
        Path profile = Files.createTempDirectory("porthole-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,800", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Goes to {@code url} with no session, so that the sign-in form shows. */
    /**
     * Opens {@code url} signed out and with nothing of the previous page left. The cookies are deleted on a page of
     * the same origin that runs no script: on the app itself, a signed-in page could still send a request between the
     * deletion and the reload, whose 401 then showed in the next test's console.
     */
    public void fresh(String url) {
        driver.get(URI.create(url).resolve("favicon.svg").toString());
        driver.manage().deleteAllCookies();
        driver.manage().logs().get(LogType.BROWSER); // reading the log empties it
        driver.get(url);
    }

    public void signIn(String user) {
        WebElement name = await("the sign-in form", () -> visible("#signin-user"));
        name.clear();
        name.sendKeys(user);
        driver.findElement(By.id("signin-password")).sendKeys(user + "-password\n");
        await("the signed-in page", () -> visible("#app"));
    }

    /** The visible element for {@code css}, or null. */
    public WebElement visible(String css) {
        return driver.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
    }

    /**
     * Types as a person does: key events to the page, reaching whatever has the keyboard focus. Nothing picks the
     * terminal for them, so a terminal that does not have the focus does not get the keys.
     */
    public void type(CharSequence keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    /** Whether the keyboard focus is in the visible terminal (xterm.js's text box takes the keys). */
    public boolean terminalHasFocus() {
        return Boolean.TRUE.equals(driver.executeScript("""
                const focused = document.activeElement;
                return focused !== null && focused.classList.contains('xterm-helper-textarea')
                    && focused.closest('.terminal-pane:not([hidden])') !== null;
                """));
    }

    public String terminalText() {
        Object text = driver.executeScript(BUFFER_TEXT);
        return text == null ? "" : text.toString();
    }

    /** Waits until some line of the terminal is exactly {@code line}; answers the whole text. */
    public String awaitLine(String line) {
        return await("a line '" + line + "' in the terminal", () -> {
            String text = terminalText();
            return text.lines().anyMatch(line::equals) ? text : null;
        });
    }

    /** Waits until the terminal's last line is a root prompt ({@code / #}, {@code bash-5.2#}), so typing does not race it. */
    public void awaitPrompt() {
        await("a prompt", () -> {
            List<String> lines = terminalText().lines().filter(l -> !l.isBlank()).toList();
            return !lines.isEmpty() && lines.get(lines.size() - 1).strip().endsWith("#") ? true : null;
        });
    }

    public String status() {
        WebElement status = visible(".terminal-pane:not([hidden]) .status-text");
        return status == null ? "" : status.getText();
    }

    public String awaitStatus(String prefix) {
        return await("status '" + prefix + "...'", () -> status().startsWith(prefix) ? status() : null);
    }

    /** Rows and columns of the active terminal, as {@code stty size} prints them. */
    public String terminalSize() {
        return String.valueOf(driver.executeScript(
                "const t = window.porthole.activeTerminal(); return t.rows + ' ' + t.cols;"));
    }

    public void resizeWindow(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    public <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + PATIENCE + "; status '" + status() + "'; terminal:\n" + terminalText());
            }
            Engine.sleep(100);
        }
    }

    /**
     * The console messages since the last call that point at a page bug: script errors and Content Security
     * Policy violations. Failed requests (a 401 before sign-in) are the page working as meant, so they are not.
     */
    public List<String> scriptErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
    }

    /** Every console message since the last call, warnings and errors, failed requests included. */
    public List<String> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new AssertionError("cannot save screenshot " + name, e);
        }
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
