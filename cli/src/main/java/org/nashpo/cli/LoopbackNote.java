package org.nashpo.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.AbstractFilter;

/**
 * Spark warns, on every start, that the host name resolves to a loopback address and suggests
 * SPARK_LOCAL_IP. Embedded Spark binds to loopback on purpose ({@link SparkSetup}), so there the two
 * lines are noise; on a cluster they matter and stay.
 */
final class LoopbackNote {

    /** The logger of Spark's {@code Utils}, which writes the note. */
    static final String LOGGER = "org.apache.spark.util.Utils";

    private LoopbackNote() {
    }

    /** Drops the note from here on in this JVM (does nothing if log4j is not the logging backend). */
    static synchronized void quiet() {
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return;
        }
        Configuration config = context.getConfiguration();
        LoggerConfig current = config.getLoggerConfig(LOGGER);
        if (current.getName().equals(LOGGER)) {
            if (!(current.getFilter() instanceof Drop)) {
                current.addFilter(new Drop());
                context.updateLoggers();
            }
            return;
        }
        LoggerConfig own = new LoggerConfig(LOGGER, current.getLevel(), true);
        own.addFilter(new Drop());
        config.addLogger(LOGGER, own);
        context.updateLoggers();
    }

    /** Denies the note's two lines, passes everything else on. */
    static final class Drop extends AbstractFilter {
        Drop() {
            super(Filter.Result.DENY, Filter.Result.NEUTRAL);
        }

        @Override
        public Filter.Result filter(LogEvent event) {
            String message = event.getMessage().getFormattedMessage();
            return message.contains("resolves to a loopback address") || message.contains("SPARK_LOCAL_IP")
                    ? onMatch : onMismatch;
        }
    }
}
