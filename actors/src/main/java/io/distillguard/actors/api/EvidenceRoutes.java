package io.distillguard.actors.api;

import static io.distillguard.actors.api.GuardedRoutes.badRequest;
import static io.distillguard.actors.api.GuardedRoutes.json;

import io.distillguard.actors.api.access.Principal;
import io.distillguard.actors.audit.AuditLog;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /v1/accounts/{id}/evidence}: an account's stored queries from the vector store, newest
 * first or nearest to a text, paged ({@link EvidencePage}); every read is audited before it runs,
 * and the endpoint answers 503 when the node has no store.
 */
final class EvidenceRoutes extends AllDirectives {

  private final RouteContext api;
  private final EvidenceSource evidence;

  EvidenceRoutes(RouteContext api, EvidenceSource evidence) {
    this.api = api;
    this.evidence = evidence;
  }

  /** The route at {@code /v1/accounts/{id}/evidence}. */
  Route route(String id) {
    return get(() -> api.endpoint(ApiEndpoint.EVIDENCE, w -> evidence(id, w)));
  }

  private Route evidence(String id, Principal who) {
    if (evidence instanceof EvidenceSource.Unavailable u) {
      return complete(
          json(
              StatusCodes.SERVICE_UNAVAILABLE,
              Map.of("error", "evidence is not available: " + u.reason())));
    }
    EvidenceSource.Served served = (EvidenceSource.Served) evidence;
    return parameterMap(
        p -> {
          EvidencePage.Request request;
          try {
            request = EvidencePage.Request.parse(id, p);
          } catch (IllegalArgumentException e) {
            return complete(badRequest(e.getMessage()));
          }
          return api.respondBlocking(
              () -> {
                // Audited before anything is read: no unaudited evidence leaves the API.
                api.service().audit(who.name(), AuditLog.EVIDENCE_READ, id, request.auditDetail());
                return json(
                    StatusCodes.OK, EvidencePage.read(request, served.store(), served.embedder()));
              });
        });
  }
}
