package org.nashpo.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/nashpo}.
 *
 * <p>Exit codes: 0 success; 1 the work failed; 2 bad input (a malformed cellcode, a value off the
 * grid, an unknown option) — the message names the value, what is wrong and the expected form.
 */
@Command(
        name = "nashpo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Builds and serves joint NAS + HPO benchmarks (the NAS-HPO-Bench-II protocol).",
        subcommands = {
                DemoCommand.class,
                SpaceCommand.class, ArchCommand.class,
                ConstructCommand.class, StatusCommand.class, PlanCommand.class, TrainCommand.class, ShowCommand.class,
                AggregateCommand.class, FitSurrogateCommand.class, ExportCommand.class,
                SynthBenchCommand.class, OptimizeCommand.class, AsngNasCommand.class,
                PerfQueryCommand.class, PerfTrainCommand.class, PerfConstructCommand.class, PerfScaleCommand.class,
                DoctorCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the work failed", "2:bad input (the message says what and where)"})
public final class Main implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Thread logging = startLogging();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, logging, args));
    }

    /**
     * Configures the logging system on another thread. Log4j 2 takes most of a second to configure in
     * a fresh JVM, and the first library that logs (Avro's first schema when a benchmark opens, Spark,
     * Hadoop) would otherwise wait for it on the command's own thread; started here, it overlaps with
     * building and parsing the command line, which log nothing.
     */
    private static Thread startLogging() {
        Thread logging = new Thread(() -> LoggerFactory.getLogger(Main.class), "nashpo-logging-start");
        logging.setDaemon(true);
        logging.start();
        return logging;
    }

    /** The command line of every command: a {@link java.nio.file.Path} option is read by {@link Uris#localPath}. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.registerConverter(java.nio.file.Path.class, Uris::localPath);
        return cli;
    }

    /** Runs one command line, writing to {@code out} and {@code err}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, null, args);
    }

    /**
     * As {@link #run(PrintWriter, PrintWriter, String...)}; a command runs once {@code logging} (when
     * not null) has configured the logging system, so that nothing logs while it is configured.
     */
    private static int run(PrintWriter out, PrintWriter err, Thread logging, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        if (logging != null) {
            CommandLine.IExecutionStrategy command = cli.getExecutionStrategy();
            cli.setExecutionStrategy(parseResult -> {
                awaitLogging(logging);
                return command.execute(parseResult);
            });
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof DemoCommand.StepFailedException step) {
                // the step's own messages are already on stderr
                commandLine.getErr().println("nashpo demo: " + step.getMessage());
                commandLine.getErr().flush();
                return step.exitCode();
            }
            boolean badInput = e instanceof IllegalArgumentException;
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            commandLine.getErr().println("nashpo " + commandLine.getCommandName() + ": " + message);
            if (!badInput) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return badInput ? EXIT_BAD_INPUT : EXIT_FAILED;
        });
        cli.setParameterExceptionHandler(Main::badCommandLine);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static void awaitLogging(Thread logging) {
        try {
            logging.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A bad command line: what is wrong, with a near match for a misspelt option, and where the usage
     * is — not the whole usage, which would bury the one line that matters.
     */
    private static int badCommandLine(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + name + " --help' for its options.");
        err.flush();
        return EXIT_BAD_INPUT;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
