package io.distillguard.actors.api;

import io.distillguard.actors.api.access.Principal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What every route class of the accounts' side of the API works with: the guard every endpoint
 * passes, the actor side's backend, and the executor the blocking reads and audit writes run on.
 *
 * @param blocking where the database reads and audit writes run
 */
record RouteContext(GuardedRoutes guarded, ApiBackend service, Executor blocking) {

  /** See {@link GuardedRoutes#endpoint}. */
  Route endpoint(ApiEndpoint e, Function<Principal, Route> inner) {
    return guarded.endpoint(e, inner);
  }

  /** See {@link GuardedRoutes#respond}. */
  Route respond(Supplier<CompletionStage<HttpResponse>> work) {
    return guarded.respond(work);
  }

  /** Answers with what {@code work} computes on the blocking executor. */
  Route respondBlocking(Supplier<HttpResponse> work) {
    return guarded.respond(() -> CompletableFuture.supplyAsync(work, blocking));
  }
}
