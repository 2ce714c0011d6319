package io.distillguard.store;

import io.distillguard.settings.SettingValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Which vector store to open and how. Built with {@link #embedded}, {@link #milvus} or {@link
 * #fromEnvironment}; the {@code with*} methods adjust one aspect.
 *
 * @param backend which implementation
 * @param dataDir embedded only: the DistillGuard data dir (vectors live under {@code
 *     <dataDir>/vectors/}); null for Milvus
 * @param milvusUri Milvus only, e.g. {@code http://127.0.0.1:19530}
 * @param milvusToken Milvus only, may be null (no authentication) — a secret, never logged
 * @param collection Milvus only: the collection name
 * @param retention records older than this are dropped (embedded: on compaction; Milvus: the
 *     collection's {@code collection.ttl.seconds}); null keeps records until erased
 * @param dimension the embedding dimension every record and query vector has
 * @param connectTimeout Milvus only: how long to wait for the server when connecting
 * @param rpcDeadline Milvus only: the deadline of every RPC
 */
public record StoreSettings(
    Backend backend,
    Path dataDir,
    String milvusUri,
    String milvusToken,
    String collection,
    Duration retention,
    int dimension,
    Duration connectTimeout,
    Duration rpcDeadline) {

  /** The implementations behind the port. */
  public enum Backend {
    EMBEDDED,
    MILVUS
  }

  public static final int DEFAULT_DIMENSION = 384;
  public static final String DEFAULT_COLLECTION = "distillguard_queries";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RPC_DEADLINE = Duration.ofSeconds(30);

  public StoreSettings {
    Objects.requireNonNull(backend, "backend");
    if (dimension <= 0) {
      throw new IllegalArgumentException("dimension must be positive: " + dimension);
    }
    if (retention != null && (retention.isNegative() || retention.isZero())) {
      throw new IllegalArgumentException("retention must be positive: " + retention);
    }
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    rpcDeadline = rpcDeadline == null ? DEFAULT_RPC_DEADLINE : rpcDeadline;
    if (backend == Backend.EMBEDDED) {
      Objects.requireNonNull(dataDir, "dataDir");
      dataDir = dataDir.toAbsolutePath().normalize();
    } else {
      if (milvusUri == null || milvusUri.isBlank()) {
        throw new IllegalArgumentException("milvusUri must be set for the Milvus backend");
      }
      collection = collection == null || collection.isBlank() ? DEFAULT_COLLECTION : collection;
      if (!collection.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException(
            "Milvus collection names are letters, digits and underscores: " + collection);
      }
    }
  }

  /** The local default: an on-disk store under {@code <dataDir>/vectors/}, no retention. */
  public static StoreSettings embedded(Path dataDir) {
    return new StoreSettings(
        Backend.EMBEDDED, dataDir, null, null, null, null, DEFAULT_DIMENSION, null, null);
  }

  /**
   * A Milvus collection.
   *
   * @param ttl retention (collection TTL), or null for none
   */
  public static StoreSettings milvus(String uri, String token, String collection, Duration ttl) {
    return new StoreSettings(
        Backend.MILVUS, null, uri, token, collection, ttl, DEFAULT_DIMENSION, null, null);
  }

  /**
   * Milvus when {@code MILVUS_URI}, {@code MILVUS_TOKEN} or {@code MILVUS_COLLECTION} is set (then
   * {@code MILVUS_URI} is required), otherwise the embedded store under {@code dataDir}. The
   * retention is {@code DISTILLGUARD_RETENTION} (the one retention setting of every store), for
   * Milvus overridden by {@code MILVUS_TTL} when that is set; none when neither is.
   */
  public static StoreSettings fromEnvironment(Path dataDir) {
    return fromEnvironment(dataDir, System.getenv());
  }

  /** {@link #fromEnvironment(Path)} over an explicit environment map (testable). */
  public static StoreSettings fromEnvironment(Path dataDir, Map<String, String> env) {
    String uri = blankToNull(env.get("MILVUS_URI"));
    String token = blankToNull(env.get("MILVUS_TOKEN"));
    String collection = blankToNull(env.get("MILVUS_COLLECTION"));
    String retention = blankToNull(env.get("DISTILLGUARD_RETENTION"));
    Duration keep = retention == null ? null : parseDuration(retention);
    if (uri == null && token == null && collection == null) {
      return embedded(dataDir).withRetention(keep);
    }
    if (uri == null) {
      throw new IllegalArgumentException(
          "MILVUS_TOKEN or MILVUS_COLLECTION is set but MILVUS_URI is not;"
              + " set MILVUS_URI (e.g. http://127.0.0.1:19530) or unset them for the embedded store");
    }
    String ttl = blankToNull(env.get("MILVUS_TTL"));
    return milvus(uri, token, collection, ttl == null ? keep : parseDuration(ttl));
  }

  /**
   * Parses a retention such as {@code 30d}, {@code 12h}, {@code 90m}, {@code 3600s}, a plain number
   * of seconds, or an ISO-8601 duration ({@code P30D}): the one duration syntax of every setting
   * ({@link SettingValues#parseDuration}).
   */
  public static Duration parseDuration(String text) {
    return SettingValues.parseDuration(text);
  }

  /** The same settings with another retention (null: none). */
  public StoreSettings withRetention(Duration newRetention) {
    return new StoreSettings(
        backend,
        dataDir,
        milvusUri,
        milvusToken,
        collection,
        newRetention,
        dimension,
        connectTimeout,
        rpcDeadline);
  }

  /** The same settings with another embedding dimension. */
  public StoreSettings withDimension(int newDimension) {
    return new StoreSettings(
        backend,
        dataDir,
        milvusUri,
        milvusToken,
        collection,
        retention,
        newDimension,
        connectTimeout,
        rpcDeadline);
  }

  /** The same settings with other Milvus connect and RPC timeouts. */
  public StoreSettings withTimeouts(Duration newConnectTimeout, Duration newRpcDeadline) {
    return new StoreSettings(
        backend,
        dataDir,
        milvusUri,
        milvusToken,
        collection,
        retention,
        dimension,
        newConnectTimeout,
        newRpcDeadline);
  }

  /**
   * What identifies the underlying store: two settings with the same target share one instance in
   * {@link VectorStores}.
   */
  public String target() {
    return backend == Backend.EMBEDDED
        ? "embedded:" + dataDir
        : "milvus:" + milvusUri + "/" + collection;
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "StoreSettings[" + target() + ", retention=" + retention + ", dim=" + dimension + "]";
  }

  private static String blankToNull(String s) {
    String value = SettingValues.blankToNull(s);
    return value == null ? null : value.trim();
  }
}
