package io.distillguard.ingest.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's Prometheus reporter without its HTTP server: the same collectors and names as {@code
 * PrometheusReporter}, rendered in the Prometheus text format in-process ({@link #scrape}), so a
 * test sees what a Prometheus server would scrape from the job without a port open on every
 * interface. Configure it as {@code metrics.reporter.<name>.factory.class} = {@link Factory}.
 */
public final class InProcessPrometheusReporter extends AbstractPrometheusReporter {

  /** The reporters open in this JVM (one per MiniCluster metric registry). */
  public static final List<InProcessPrometheusReporter> OPEN = new CopyOnWriteArrayList<>();

  private static final Field REGISTRY;

  static {
    try {
      REGISTRY = AbstractPrometheusReporter.class.getDeclaredField("registry");
      REGISTRY.setAccessible(true);
    } catch (NoSuchFieldException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private InProcessPrometheusReporter() {
    OPEN.add(this);
  }

  @Override
  public void close() {
    OPEN.remove(this);
    super.close();
  }

  /** The series this reporter holds now, as {@code PrometheusReporter} would serve them. */
  public String scrape() {
    try {
      CollectorRegistry registry = (CollectorRegistry) REGISTRY.get(this);
      StringWriter out = new StringWriter();
      TextFormat.write004(out, registry.metricFamilySamples());
      return out.toString();
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What every open reporter holds now. */
  public static String scrapeAll() {
    StringBuilder all = new StringBuilder();
    OPEN.forEach(r -> all.append(r.scrape()));
    return all.toString();
  }

  /** Creates the reporter (listed in {@code META-INF/services} for Flink to find). */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new InProcessPrometheusReporter();
    }
  }
}
