package io.distillguard.ingest.observe;

import io.distillguard.observe.AccountObservation;
import io.distillguard.observe.InProcessObservationChannel;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Publishes observations into the {@link InProcessObservationChannel} of the given name (the local
 * mode: job and actors in one JVM). Publishing blocks while the channel is full, so a slow consumer
 * backpressures the job.
 *
 * <p><b>Completion.</b> This sink never calls {@link InProcessObservationChannel#complete()}: with
 * parallelism above one, one writer reaching end of input says nothing about the others. The input
 * is fully processed only when the whole job has finished, which is what {@link
 * io.distillguard.ingest.IngestJob#execute} waits for before it completes the channel (via {@link
 * io.distillguard.ingest.IngestSinks#onJobFinished()}).
 */
public final class InProcessObservationSink implements Sink<AccountObservation> {

  private final String channelName;

  public InProcessObservationSink(String channelName) {
    this.channelName = channelName;
  }

  public String channelName() {
    return channelName;
  }

  @Override
  public SinkWriter<AccountObservation> createWriter(WriterInitContext context) {
    InProcessObservationChannel channel = InProcessObservationChannel.named(channelName);
    return new SinkWriter<>() {
      @Override
      public void write(AccountObservation observation, Context ctx) throws InterruptedException {
        channel.publish(observation);
      }

      @Override
      public void flush(boolean endOfInput) {
        // publish() hands each observation over synchronously: nothing is buffered here.
      }

      @Override
      public void close() {}
    };
  }
}
