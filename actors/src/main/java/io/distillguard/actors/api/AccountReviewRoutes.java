package io.distillguard.actors.api;

import static io.distillguard.actors.api.GuardedRoutes.badRequest;
import static io.distillguard.actors.api.GuardedRoutes.json;

import io.distillguard.actors.api.access.Principal;
import io.distillguard.actors.audit.AuditLog;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /v1/accounts/{id}/review}: a reviewer's CLEARED or CONFIRMED with a note, audited
 * before it is sent to the account entity.
 */
final class AccountReviewRoutes extends AllDirectives {

  private final RouteContext api;

  AccountReviewRoutes(RouteContext api) {
    this.api = api;
  }

  /** The route at {@code /v1/accounts/{id}/review}. */
  Route route(String id) {
    return post(
        () ->
            api.endpoint(
                ApiEndpoint.REVIEW,
                w -> entity(Unmarshaller.entityToString(), body -> review(id, body, w))));
  }

  private Route review(String id, String body, Principal who) {
    ReviewRequest review;
    try {
      review = ReviewRequest.parse(body);
    } catch (IllegalArgumentException e) {
      return complete(badRequest(ReviewRequest.USAGE));
    }
    return api.respond(
        () ->
            CompletableFuture.runAsync(
                    () ->
                        api.service().audit(who.name(), AuditLog.REVIEW, id, review.auditDetail()),
                    api.blocking())
                .thenCompose(
                    v ->
                        api.service()
                            .review(id, review.verdict(), review.reviewer(), review.note()))
                .handle(
                    (s, error) ->
                        ReviewRequest.answer(
                            error,
                            "unknown account",
                            () -> json(StatusCodes.OK, ApiJson.statusJson(s)),
                            () -> AccountRoutes.unknownAccount(id))));
  }
}
