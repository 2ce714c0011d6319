package io.distillguard.ingest.deadletter;

import io.distillguard.contract.DeadLetter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Appends dead letters to one local JSONL file ({@link DeadLetterJson}), the local mode's
 * dead-letter output. Lines are flushed to the file on every checkpoint and at end of input.
 *
 * <p>One file has one writer: the job runs this sink with parallelism 1. Appending means a replay
 * adds its dead letters after the earlier run's, which is what a log of refusals should do. For a
 * cluster, the dead letters go to a Kafka topic instead.
 */
public final class DeadLetterFileSink implements Sink<DeadLetter> {

  private final String file;

  public DeadLetterFileSink(Path file) {
    this.file = file.toAbsolutePath().toString();
  }

  @Override
  public SinkWriter<DeadLetter> createWriter(WriterInitContext context) throws IOException {
    Path path = Path.of(file);
    if (path.getParent() != null) {
      Files.createDirectories(path.getParent());
    }
    BufferedWriter out =
        Files.newBufferedWriter(
            path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return new SinkWriter<>() {
      @Override
      public void write(DeadLetter d, Context ctx) throws IOException {
        out.write(DeadLetterJson.toJson(d));
        out.write('\n');
      }

      @Override
      public void flush(boolean endOfInput) throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }
}
