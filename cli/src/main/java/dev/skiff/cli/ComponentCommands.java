package dev.skiff.cli;

import picocli.CommandLine;

/**
 * Registers the cluster components' own commands ({@code store}, {@code apiserver},
 * {@code scheduler}, {@code controller-manager}, {@code agent}); each component's engineer writes
 * its command class in this package, and it is added here when it exists.
 */
final class ComponentCommands {
  private ComponentCommands() {}

  static void register(CommandLine cmd) {
    cmd.addSubcommand(StoreCommand.class);
    // Added as they land: ApiServerCommand, SchedulerCommand, ControllerManagerCommand, AgentCommand.
  }
}
