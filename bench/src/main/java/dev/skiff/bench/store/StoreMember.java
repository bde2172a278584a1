package dev.skiff.bench.store;

import dev.skiff.cli.StoreCommand;
import picocli.CommandLine;

/** Runs {@code skiff store} with its own flags, for the benchmark script when the full CLI is not built. */
public final class StoreMember {
    private StoreMember() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StoreCommand()).execute(args));
    }
}
