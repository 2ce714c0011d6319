package io.distillguard.actors.api;

import static io.distillguard.actors.api.GuardedRoutes.badRequest;

import io.distillguard.policy.Level;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The query of the API's list endpoints: one optional parameter that narrows or positions the list
 * ({@code ?level=}, {@code ?status=}, {@code ?after=}) and {@code ?limit=} ({@link
 * QueryParams#limit}), both parsed before the list is read. A bad value of either answers 400 with
 * what is wrong, the narrowing parameter's first.
 */
final class ListQuery {

  private static final AllDirectives DIRECTIVES = new AllDirectives() {};

  private ListQuery() {}

  /**
   * Parses {@code ?name=} with {@code parse} ({@code absent} when not given) and {@code ?limit=},
   * then routes to {@code list}; an IllegalArgumentException from either parse is a 400.
   */
  static <T> Route withLimit(
      String name, Function<String, T> parse, T absent, BiFunction<T, Integer, Route> list) {
    return DIRECTIVES.parameterOptional(
        name,
        value ->
            DIRECTIVES.parameterOptional(
                "limit",
                limitParam -> {
                  T parsed;
                  int limit;
                  try {
                    parsed = value.map(parse).orElse(absent);
                    limit = QueryParams.limit(limitParam);
                  } catch (IllegalArgumentException e) {
                    return DIRECTIVES.complete(badRequest(e.getMessage()));
                  }
                  return list.apply(parsed, limit);
                }));
  }

  /** {@code ?level=} (null: every level) and {@code ?limit=}. */
  static Route levelAndLimit(BiFunction<Level, Integer, Route> list) {
    return withLimit("level", QueryParams::level, null, list);
  }
}
