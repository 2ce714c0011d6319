package io.distillguard.ingest.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** A metric group that keeps what is registered in it (and its subgroups) by name, for tests. */
public final class RecordingMetricGroup extends UnregisteredMetricsGroup {

  private final Map<String, Object> metrics = new HashMap<>();

  @Override
  public Counter counter(String name) {
    return counter(name, new SimpleCounter());
  }

  @Override
  public <C extends Counter> C counter(String name, C counter) {
    metrics.put(name, counter);
    return counter;
  }

  @Override
  public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
    metrics.put(name, gauge);
    return gauge;
  }

  @Override
  public <H extends Histogram> H histogram(String name, H histogram) {
    metrics.put(name, histogram);
    return histogram;
  }

  @Override
  public <M extends Meter> M meter(String name, M meter) {
    metrics.put(name, meter);
    return meter;
  }

  @Override
  public MetricGroup addGroup(String name) {
    return this;
  }

  public Counter registeredCounter(String name) {
    return (Counter) required(name);
  }

  public Histogram histogram(String name) {
    return (Histogram) required(name);
  }

  public Gauge<?> gauge(String name) {
    return (Gauge<?>) required(name);
  }

  private Object required(String name) {
    Object m = metrics.get(name);
    if (m == null) {
      throw new AssertionError(
          "metric not registered: " + name + " (have " + metrics.keySet() + ")");
    }
    return m;
  }
}
