package io.distillguard.actors;

import io.distillguard.actors.api.BearerAuth;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.api.HttpApi;
import io.distillguard.actors.api.access.ApiAccess;
import io.distillguard.actors.api.access.Role;
import io.distillguard.actors.audit.AuditLog;
import io.distillguard.actors.console.BundleSigner;
import io.distillguard.actors.console.ConsoleData;
import io.distillguard.actors.console.ConsoleRoutes;
import io.distillguard.actors.metrics.MetricsRoute;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Binds one node's HTTP API with the routes beside it: the analyst console and {@code /metrics},
 * behind the same tokens as the API (the console needs the reviewer role, {@code /metrics} admin).
 */
final class HttpWiring {

  private HttpWiring() {}

  /**
   * Fails closed before anything starts: no API on another address than loopback without tokens.
   */
  static void checkAccess(ActorSettings settings) {
    ApiAccess.create(
        settings.http().host(), settings.http().access(), settings.http().bearerToken());
  }

  static HttpApi bind(
      ActorService service,
      NodeParts node,
      ConsoleData console,
      EvidenceSource evidence,
      ActorSettings settings) {
    ApiAccess access =
        ApiAccess.create(
            settings.http().host(), settings.http().access(), settings.http().bearerToken());
    BearerAuth auth = new BearerAuth(access, Role.REVIEWER);
    Route extra =
        new ConsoleRoutes(
                auth,
                console,
                () -> BundleSigner.inDirectory(settings.dataDir().resolve("keys")),
                node.clock(),
                (who, id, detail) -> service.audit(who, AuditLog.EVIDENCE_READ, id, detail))
            .routes()
            .orElse(
                new MetricsRoute(new BearerAuth(access, Role.ADMIN), node.metrics(), node.jdbc())
                    .route());
    return HttpApi.bind(
        node.system(), settings, service, service, node.db(), evidence, node.jdbc(), extra);
  }
}
