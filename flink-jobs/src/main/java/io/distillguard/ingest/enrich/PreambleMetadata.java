package io.distillguard.ingest.enrich;

import io.distillguard.contract.EmbeddingBase64;
import io.distillguard.enrich.PromptSplit;
import java.util.Map;

/**
 * How a {@code QueryRecord} refers to its account's scaffold, in the record's metadata so the
 * record format stays as it was (older readers see a record whose prompt is the payload).
 *
 * <ul>
 *   <li>{@value #PREAMBLE_ID} on every record whose prompt started with a scaffold: the scaffold's
 *       content address; the stored {@code prompt} is the payload after it;
 *   <li>{@value #PREAMBLE} and {@value #PREAMBLE_EMBEDDING} only on the first record of each
 *       account's scaffold version: the scaffold's text and its embedding ({@code embedding_b64}
 *       encoding: base64 of little-endian float32). The scaffold is stored once per account
 *       version, not once per call.
 * </ul>
 *
 * The prompt as sent is the {@value #PREAMBLE} of the account's record with the same {@value
 * #PREAMBLE_ID}, followed by the record's prompt.
 */
public final class PreambleMetadata {

  public static final String PREAMBLE_ID = "preamble_id";
  public static final String PREAMBLE = "preamble";
  public static final String PREAMBLE_EMBEDDING = "preamble_embedding_b64";

  private PreambleMetadata() {}

  /**
   * {@code metadata} (mutable) with the scaffold's entries added.
   *
   * @param preambleEmbedding the scaffold's embedding, or null (not embedded: the event carried its
   *     own embedding)
   */
  static Map<String, String> with(
      Map<String, String> metadata, PromptSplit split, float[] preambleEmbedding) {
    if (split.hasPreamble()) {
      metadata.put(PREAMBLE_ID, split.preambleId());
      if (split.newVersion()) {
        metadata.put(PREAMBLE, split.preamble());
        if (preambleEmbedding != null) {
          metadata.put(PREAMBLE_EMBEDDING, EmbeddingBase64.encode(preambleEmbedding));
        }
      }
    }
    return metadata;
  }
}
