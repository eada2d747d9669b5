/**
 * The {@code nashpo} command line: one picocli command per subcommand, each a thin layer over the
 * library modules. {@link org.nashpo.cli.Main#run} returns the exit code, so every command is
 * testable in-process; every command that reports something prints JSON with {@code --json}.
 */
package org.nashpo.cli;
