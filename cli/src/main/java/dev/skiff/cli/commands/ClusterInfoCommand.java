package dev.skiff.cli.commands;

import dev.skiff.api.v1.Node;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.output.NodeColumns;
import dev.skiff.client.api.Kinds;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code skiff cluster-info}: where the API server is, and how many nodes are ready. */
@Command(name = "cluster-info", description = "Show where the cluster is and its nodes.", mixinStandardHelpOptions = true)
public final class ClusterInfoCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  private final CliContext ctx;

  public ClusterInfoCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    List<Node> nodes = ctx.client().resource(Kinds.NODE).list("").getItemsList();
    long ready = nodes.stream().filter(n -> NodeColumns.status(n).startsWith("Ready")).count();
    ctx.out().println("Skiff API server is running at " + String.join(",", ctx.servers()));
    ctx.out().println("Nodes: " + nodes.size() + " (" + ready + " ready)");
    ctx.out().println("Namespace: " + ctx.namespace());
    return 0;
  }
}
