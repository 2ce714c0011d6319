package io.distillguard.actors.taxonomy;

/**
 * An observation was made with a capability taxonomy this node never ran with (see {@link
 * TaxonomyGuard}).
 */
public final class TaxonomyMismatchException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public TaxonomyMismatchException(String message) {
    super(message);
  }

  /** Whether {@code error} or any of its causes is a {@link TaxonomyMismatchException}. */
  public static boolean causes(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof TaxonomyMismatchException) {
        return true;
      }
      if (t.getCause() == t) {
        return false;
      }
    }
    return false;
  }
}
