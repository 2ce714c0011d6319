package io.distillguard.contract;

import java.io.Serializable;

/**
 * The configurable bounds that {@link ContractCodec} enforces on top of the fixed v1 shape.
 *
 * @param embeddingDimension the length a precomputed {@code embedding} must have (the dimension of
 *     the deployed embedding model)
 * @param maxPromptChars longest accepted prompt, in UTF-16 chars ({@link String#length()})
 * @param maxLineChars longest accepted input line, in UTF-16 chars; checked before parsing so an
 *     oversized record costs nothing
 */
public record ContractLimits(int embeddingDimension, int maxPromptChars, int maxLineChars)
    implements Serializable {

  /** 384-d embeddings (all-MiniLM-L6-v2), prompts up to 32,000 chars, lines up to 1,000,000. */
  public static final ContractLimits DEFAULT = new ContractLimits(384, 32_000, 1_000_000);

  public ContractLimits {
    if (embeddingDimension < 1 || maxPromptChars < 1 || maxLineChars < 1) {
      throw new IllegalArgumentException(
          "limits must be positive: dimension="
              + embeddingDimension
              + ", maxPromptChars="
              + maxPromptChars
              + ", maxLineChars="
              + maxLineChars);
    }
  }
}
