package dev.skiff.cli.output;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.LabelSelector;
import dev.skiff.api.v1.PodTemplateSpec;
import dev.skiff.api.v1.ReplicaSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** kubectl's Deployment and ReplicaSet tables (wide: CONTAINERS IMAGES SELECTOR). */
public final class WorkloadColumns {
  private WorkloadColumns() {}

  private static final List<String> WIDE = List.of("CONTAINERS", "IMAGES", "SELECTOR");

  public static final class Deployments implements Columns<Deployment> {
    @Override
    public List<String> headers() {
      return List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
    }

    @Override
    public List<String> wideHeaders() {
      return WIDE;
    }

    @Override
    public List<String> row(Deployment d, Instant now, boolean wide) {
      int desired = d.getSpec().hasReplicas() ? d.getSpec().getReplicas() : 1;
      var status = d.getStatus();
      List<String> row = new ArrayList<>(List.of(
          d.getMetadata().getName(),
          status.getReadyReplicas() + "/" + desired,
          String.valueOf(status.getUpdatedReplicas()),
          String.valueOf(status.getAvailableReplicas()),
          Cells.age(d.getMetadata(), now)));
      if (wide) {
        addWide(row, d.getSpec().getTemplate(), d.getSpec().getSelector());
      }
      return row;
    }
  }

  public static final class ReplicaSets implements Columns<ReplicaSet> {
    @Override
    public List<String> headers() {
      return List.of("NAME", "DESIRED", "CURRENT", "READY", "AGE");
    }

    @Override
    public List<String> wideHeaders() {
      return WIDE;
    }

    @Override
    public List<String> row(ReplicaSet rs, Instant now, boolean wide) {
      int desired = rs.getSpec().hasReplicas() ? rs.getSpec().getReplicas() : 1;
      List<String> row = new ArrayList<>(List.of(
          rs.getMetadata().getName(),
          String.valueOf(desired),
          String.valueOf(rs.getStatus().getReplicas()),
          String.valueOf(rs.getStatus().getReadyReplicas()),
          Cells.age(rs.getMetadata(), now)));
      if (wide) {
        addWide(row, rs.getSpec().getTemplate(), rs.getSpec().getSelector());
      }
      return row;
    }
  }

  private static void addWide(List<String> row, PodTemplateSpec template, LabelSelector selector) {
    List<Container> containers = template.getSpec().getContainersList();
    row.add(Cells.joinOrNone(containers.stream().map(Container::getName).toList()));
    row.add(Cells.joinOrNone(containers.stream().map(Container::getImage).toList()));
    row.add(Cells.selector(selector));
  }
}
