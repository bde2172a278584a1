package dev.skiff.cli.output;

import com.google.protobuf.Message;
import java.time.Instant;
import java.util.List;

/**
 * How {@code skiff get} shows one kind as a table: the headers, the extra headers of
 * {@code -o wide}, and the cells of one object (the first cell is always the name).
 *
 * @param <T> the kind's message type
 */
public interface Columns<T extends Message> {
  List<String> headers();

  List<String> wideHeaders();

  /** The row of {@code object}; with {@code wide}, the wide cells are appended. */
  List<String> row(T object, Instant now, boolean wide);
}
