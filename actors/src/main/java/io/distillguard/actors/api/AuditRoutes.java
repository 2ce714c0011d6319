package io.distillguard.actors.api;

import static io.distillguard.actors.api.GuardedRoutes.json;

import io.distillguard.actors.audit.AuditEntry;
import io.distillguard.actors.intake.Quarantine;
import io.distillguard.actors.intake.QuarantineRetry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code GET /v1/audit} (the audit log) and {@code GET /v1/quarantine} (observations the intake set
 * aside): the two logs paged by sequence number ({@code ?after=&limit=}); and {@code POST
 * /v1/quarantine/retry}, which takes quarantined observations back to their accounts.
 */
final class AuditRoutes extends AllDirectives {

  private final RouteContext api;

  AuditRoutes(RouteContext api) {
    this.api = api;
  }

  /** The routes below {@code /v1}. */
  Route route() {
    return concat(
        path("audit", () -> get(() -> api.endpoint(ApiEndpoint.AUDIT, w -> auditLog()))),
        pathPrefix(
            "quarantine",
            () ->
                concat(
                    pathEnd(
                        () -> get(() -> api.endpoint(ApiEndpoint.QUARANTINE, w -> quarantine()))),
                    path(
                        "retry",
                        () ->
                            post(
                                () ->
                                    api.endpoint(
                                        ApiEndpoint.QUARANTINE_RETRY,
                                        w ->
                                            entity(
                                                Unmarshaller.entityToString(),
                                                body -> retry(body, w.name()))))))));
  }

  /**
   * Records quarantined observations again: {@code recorded}, {@code quarantined_again} (their
   * entries' sequence numbers) and {@code skipped} (each other one asked for, with why).
   */
  private Route retry(String body, String actor) {
    QuarantineRetryRequest request;
    try {
      request = QuarantineRetryRequest.parse(body);
    } catch (IllegalArgumentException e) {
      return complete(GuardedRoutes.badRequest(QuarantineRetryRequest.USAGE));
    }
    return api.respondBlocking(
        () -> {
          List<Long> seqs =
              request.all()
                  ? api.service().quarantined(0, QuarantineRetryRequest.MAX_SEQS).stream()
                      .map(Quarantine.Entry::seq)
                      .toList()
                  : request.seqs();
          QuarantineRetry.Outcome done = api.service().retryQuarantined(seqs, actor);
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("recorded", done.recorded());
          out.put("quarantined_again", done.quarantinedAgain());
          Map<String, String> skipped = new LinkedHashMap<>();
          done.skipped().forEach((seq, why) -> skipped.put(Long.toString(seq), why));
          out.put("skipped", skipped);
          return json(StatusCodes.OK, out);
        });
  }

  private Route auditLog() {
    return pagedAfter(
        (after, limit) -> api.service().auditEntries(after, limit),
        ApiJson::auditJson,
        AuditEntry::seq);
  }

  private Route quarantine() {
    return pagedAfter(
        (after, limit) -> api.service().quarantined(after, limit),
        ApiJson::quarantineJson,
        Quarantine.Entry::seq);
  }

  /** A page of rows after a sequence number ({@code ?after=&limit=}), with the next cursor. */
  private <T> Route pagedAfter(
      BiFunction<Long, Integer, List<T>> page,
      Function<T, Map<String, Object>> toJson,
      ToLongFunction<T> seqOf) {
    return ListQuery.withLimit(
        "after",
        QueryParams::after,
        0L,
        (after, limit) ->
            api.respondBlocking(
                () -> {
                  List<Map<String, Object>> rows = new ArrayList<>();
                  long last = after;
                  for (T e : page.apply(after, limit)) {
                    rows.add(toJson.apply(e));
                    last = seqOf.applyAsLong(e);
                  }
                  Map<String, Object> out = new LinkedHashMap<>();
                  out.put("entries", rows);
                  out.put("next_after", last);
                  return json(StatusCodes.OK, out);
                }));
  }
}
