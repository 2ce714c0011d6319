package io.distillguard.actors.intake;

import io.distillguard.observe.AccountObservation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One account's share of a chunk of consecutive records, in their order: what the intake sends to
 * the account's entity as one command.
 *
 * @param accountId the account ({@code ""} for the placeholder of a chunk without observations)
 * @param observations the account's observations in the chunk, in chunk order
 * @param settles the records this batch settles once it is done: the whole chunk on the chunk's
 *     last batch, none on the others. Batches are completed in order, so when the last one is done
 *     every record of the chunk is (a Kafka offset is committed only then).
 * @param <T> the record type (an observation, or a consumed Kafka message)
 */
public record AccountBatch<T>(
    String accountId, List<AccountObservation> observations, List<T> settles) {

  /**
   * Splits {@code chunk} into one batch per account, in the order of each account's first record;
   * records whose {@code observation} is null belong to no batch but are settled with the chunk. A
   * chunk without observations gives one empty batch that settles it.
   */
  public static <T> List<AccountBatch<T>> split(
      List<T> chunk, Function<T, AccountObservation> observation) {
    Map<String, List<AccountObservation>> byAccount = new LinkedHashMap<>();
    for (T record : chunk) {
      AccountObservation o = observation.apply(record);
      if (o != null) {
        byAccount.computeIfAbsent(o.accountId(), a -> new ArrayList<>()).add(o);
      }
    }
    List<AccountBatch<T>> batches = new ArrayList<>(Math.max(1, byAccount.size()));
    if (byAccount.isEmpty()) {
      batches.add(new AccountBatch<>("", List.of(), List.copyOf(chunk)));
      return batches;
    }
    int left = byAccount.size();
    for (Map.Entry<String, List<AccountObservation>> e : byAccount.entrySet()) {
      left--;
      batches.add(
          new AccountBatch<>(e.getKey(), e.getValue(), left == 0 ? List.copyOf(chunk) : List.of()));
    }
    return batches;
  }
}
