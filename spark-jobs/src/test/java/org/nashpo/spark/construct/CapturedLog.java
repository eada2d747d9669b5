package org.nashpo.spark.construct;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * What some loggers say while a test injects the faults they report: kept here to be asserted on,
 * instead of printed into the build log as stack traces that read like failures. While open, the
 * named loggers write only to this capture (warnings and errors); closing restores them.
 */
final class CapturedLog implements AutoCloseable {

    /** One captured event: logger, level, message, and the message of the exception it carried (or ""). */
    record Entry(String logger, Level level, String message, String thrown) {
        /** The message and every cause's message, for matching. */
        String text() {
            return message + " " + thrown;
        }
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final List<String> loggers;
    private final AbstractAppender appender;

    private CapturedLog(List<String> loggers) {
        this.loggers = List.copyOf(loggers);
        this.appender = new AbstractAppender("captured-" + System.identityHashCode(this), null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                entries.add(new Entry(event.getLoggerName(), event.getLevel(), event.getMessage().getFormattedMessage(),
                        causes(event.getThrown())));
            }
        };
        appender.start();
        Configuration config = context.getConfiguration();
        for (String name : this.loggers) {
            LoggerConfig own = new LoggerConfig(name, Level.WARN, false);
            own.addAppender(appender, Level.WARN, null);
            config.addLogger(name, own);
        }
        context.updateLoggers();
    }

    /** Captures the warnings and errors of the named loggers until closed. */
    static CapturedLog of(String... loggers) {
        return new CapturedLog(List.of(loggers));
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        for (String name : loggers) {
            config.removeLogger(name);
        }
        context.updateLoggers();
        appender.stop();
    }

    private static String causes(Throwable thrown) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = thrown; t != null && messages.size() < 10; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return String.join(" / ", messages);
    }
}
