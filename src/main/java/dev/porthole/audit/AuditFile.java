package dev.porthole.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The audit file: a logger of its own with logback's {@link RollingFileAppender}, configured here rather than in
 * {@code logback.xml} so that its place comes from Porthole's configuration. It rolls daily and at a size,
 * keeps {@code maxHistory} days, and is not additive: audit lines never reach the console log, and the
 * application's log level cannot silence them.
 */
final class AuditFile implements AutoCloseable {
    private final Logger logger;
    private final RollingFileAppender<ILoggingEvent> appender;

    private AuditFile(Logger logger, RollingFileAppender<ILoggingEvent> appender) {
        this.logger = logger;
        this.appender = appender;
    }

    /** Opens (or creates) {@code file}; fails if it cannot be written, since a terminal must not run unaudited. */
    static AuditFile open(Path file, String maxFileSize, int maxHistoryDays) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        String path = file.toAbsolutePath().toString();
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("porthole-audit");
        appender.setFile(path);
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(path + ".%d{yyyy-MM-dd}.%i.gz");
        rolling.setMaxFileSize(FileSize.valueOf(maxFileSize));
        rolling.setMaxHistory(maxHistoryDays);
        rolling.start();
        appender.setRollingPolicy(rolling);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            throw new IllegalStateException("cannot write the audit file " + path + why(context, appender)
                    + ": its folder must exist, or be creatable, and be writable by the user "
                    + System.getProperty("user.name") + " that runs the server");
        }
        // Outside dev.porthole, so that the application's log level (PORTHOLE_LOG_LEVEL) does not apply.
        Logger logger = context.getLogger("porthole-audit." + path);
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        return new AuditFile(logger, appender);
    }

    /** Logback keeps why an appender did not start as a status of that appender, not as an exception. */
    private static String why(LoggerContext context, RollingFileAppender<ILoggingEvent> appender) {
        return context.getStatusManager().getCopyOfStatusList().stream()
                .filter(status -> status.getOrigin() == appender && status.getLevel() == Status.ERROR)
                .reduce((first, second) -> second)
                .map(status -> " (" + status.getMessage()
                        + (status.getThrowable() == null ? "" : ": " + status.getThrowable().getMessage()) + ")")
                .orElse("");
    }

    /** Appends one line; logback serialises concurrent writers. */
    void write(String line) {
        logger.info("{}", line);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
