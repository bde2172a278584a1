package dev.skiff.cli;

import picocli.CommandLine;

/**
 * Registers the cluster components' own commands ({@code store}, {@code apiserver},
 * {@code scheduler}, {@code controller-manager}, {@code agent}); each component's engineer writes
 * its command class in this package. They take their own flags (no global options).
 */
final class ComponentCommands {
  private ComponentCommands() {}

  static void register(CommandLine cmd) {
    cmd.addSubcommand(StoreCommand.class);
    cmd.addSubcommand(ApiServerCommand.class);
    cmd.addSubcommand(SchedulerCommand.class);
    cmd.addSubcommand(ControllerManagerCommand.class);
    cmd.addSubcommand(AgentCommand.class);
  }
}
