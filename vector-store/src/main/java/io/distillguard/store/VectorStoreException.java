package io.distillguard.store;

/** The backing store failed: disk I/O, a locked data dir, an unreachable or failing server. */
public class VectorStoreException extends RuntimeException {

  public VectorStoreException(String message) {
    super(message);
  }

  public VectorStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
