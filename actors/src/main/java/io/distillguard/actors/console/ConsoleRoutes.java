package io.distillguard.actors.console;

import io.distillguard.actors.api.ApiJson;
import io.distillguard.actors.api.BearerAuth;
import io.distillguard.actors.api.access.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analyst console over HTTP: its pages and scripts (built at build time into the classpath
 * folder {@code console/}; no CDN, so it works air-gapped) at {@code /console/}, and the data they
 * read at {@code /console/api/...}: the case queue, one account's case, and its case bundle (a
 * signed zip). The pages hold no data and need no token; the data needs what {@link #reviewer}
 * requires. Every response carries a strict Content-Security-Policy (scripts and styles from this
 * origin only, no plugins, no base URL, no framing, Trusted Types for script sinks).
 */
public final class ConsoleRoutes extends AllDirectives {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);

  /** The console's Content-Security-Policy. */
  public static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " frame-ancestors 'none'; form-action 'none'; require-trusted-types-for 'script';"
          + " trusted-types default";

  private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private static final List<HttpHeader> HEADERS =
      List.of(
          RawHeader.create("Content-Security-Policy", CSP),
          RawHeader.create("X-Content-Type-Options", "nosniff"),
          RawHeader.create("Referrer-Policy", "no-referrer"),
          RawHeader.create("Cross-Origin-Opener-Policy", "same-origin"));

  private final BearerAuth auth;
  private final ConsoleData data;
  private final Supplier<BundleSigner> signer;
  private final Clock clock;

  /** Where the console's evidence reads are written: the API's audit log. */
  @FunctionalInterface
  public interface EvidenceAudit {
    void evidenceRead(String who, String accountId, String detail);
  }

  private final EvidenceAudit audit;

  public ConsoleRoutes(
      BearerAuth auth,
      ConsoleData data,
      Supplier<BundleSigner> signer,
      Clock clock,
      EvidenceAudit audit) {
    this.auth = auth;
    this.data = data;
    this.signer = signer;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Who may read cases and evidence: anyone holding the API's bearer token. With roles, require the
   * {@code reviewer} role here (this one method guards every console data route).
   */
  private Route reviewer(Function<Principal, Route> inner) {
    return auth.require(inner);
  }

  public Route routes() {
    return concat(
        pathSingleSlash(() -> get(() -> redirect(Uri.create("/console/"), StatusCodes.FOUND))),
        pathPrefix(
            "console",
            () ->
                respondWithHeaders(
                    HEADERS,
                    () ->
                        concat(
                            pathEnd(
                                () ->
                                    get(
                                        () ->
                                            redirect(Uri.create("/console/"), StatusCodes.FOUND))),
                            pathSingleSlash(() -> get(() -> asset("index.html"))),
                            pathPrefix("api", () -> reviewer(this::api)),
                            // A campaign's page: one page for every id (it reads the id from
                            // its path), so links to a campaign are plain paths.
                            path(
                                PathMatchers.segment("campaigns").slash(PathMatchers.segment()),
                                id -> get(() -> asset("campaign.html"))),
                            path(PathMatchers.segment(), name -> get(() -> asset(name)))))));
  }

  private Route api(Principal who) {
    return respondWithHeaders(
        List.of(RawHeader.create("Cache-Control", "no-store")),
        () ->
            concat(
                path(
                    "cases",
                    () ->
                        get(
                            () ->
                                parameterOptional(
                                    "members",
                                    members -> cases(members.map("true"::equals).orElse(false))))),
                pathPrefix(
                    "accounts", () -> pathPrefix(PathMatchers.segment(), id -> account(who, id))),
                pathPrefix(
                    "campaigns",
                    () -> pathPrefix(PathMatchers.segment(), id -> campaign(who, id)))));
  }

  private Route account(Principal who, String id) {
    return concat(
        pathEnd(() -> get(() -> audited(who, id, "console account page", () -> account(id)))),
        path("bundle", () -> get(() -> audited(who, id, "console case bundle", () -> bundle(id)))));
  }

  /**
   * The campaign page shows no prompt (members, links, coverage, decisions); its bundle holds the
   * members' prompts, so the bundle is audited on the campaign and on every member read.
   */
  private Route campaign(Principal who, String id) {
    return concat(
        pathEnd(() -> get(() -> campaignPage(id))),
        path(
            "bundle",
            () ->
                get(
                    () ->
                        audited(
                            who, id, "console campaign bundle", () -> campaignBundle(who, id)))));
  }

  /** The account page and the bundle show evidence prompts: audited before anything is read. */
  private Route audited(Principal who, String id, String detail, Supplier<Route> inner) {
    audit.evidenceRead(who.name(), id, detail);
    return inner.get();
  }

  /**
   * The queue: account cases and campaign cases (one row each, with its member count); {@code
   * campaignMembers} adds the accounts only their campaign made a case.
   */
  private Route cases(boolean campaignMembers) {
    return respond(
        data.cases(campaignMembers)
            .thenCombine(
                data.campaignCases(),
                (accounts, campaigns) -> {
                  List<Map<String, Object>> out = new ArrayList<>();
                  accounts.forEach(r -> out.add(ConsoleJson.caseRow(r)));
                  campaigns.forEach(r -> out.add(CampaignJson.caseRow(r, data.categories())));
                  // Most severe first, then longest at its level; campaigns and accounts mixed.
                  out.sort(
                      Comparator.comparingInt((Map<String, Object> m) -> (int) m.get("severity"))
                          .reversed()
                          .thenComparing(
                              m -> (String) m.get("level_since"),
                              Comparator.nullsLast(Comparator.naturalOrder())));
                  return json(StatusCodes.OK, Map.of("cases", out));
                }));
  }

  private Route campaignPage(String id) {
    return respond(
        data.campaign(id)
            .thenApply(
                c ->
                    c == null
                        ? json(
                            StatusCodes.NOT_FOUND,
                            Map.of("error", "unknown campaign", "campaign_id", id))
                        : json(StatusCodes.OK, CampaignJson.campaignCase(c))));
  }

  private Route campaignBundle(Principal who, String id) {
    return respond(
        data.campaignWithEvidence(
                id,
                member -> audit.evidenceRead(who.name(), member, "console campaign bundle " + id))
            .thenApply(
                c -> {
                  if (c == null) {
                    return json(
                        StatusCodes.NOT_FOUND,
                        Map.of("error", "unknown campaign", "campaign_id", id));
                  }
                  Instant now = clock.instant();
                  String folder = CampaignBundle.folderName(id, now);
                  return zip(folder, CampaignBundle.of(c, signer.get(), now).zip(folder));
                }));
  }

  private Route account(String id) {
    return respond(
        data.account(id)
            .thenApply(
                c -> c == null ? notFound(id) : json(StatusCodes.OK, ConsoleJson.accountCase(c))));
  }

  private Route bundle(String id) {
    return respond(
        data.account(id)
            .thenApply(
                c -> {
                  if (c == null) {
                    return notFound(id);
                  }
                  Instant now = clock.instant();
                  String folder = CaseBundle.folderName(id, now);
                  return zip(folder, CaseBundle.of(c, signer.get(), now).zip(folder));
                }));
  }

  private static HttpResponse zip(String folder, byte[] zip) {
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .withEntity(ContentTypes.create(MediaTypes.applicationBinary("zip", false)), zip)
        .addHeader(
            RawHeader.create("Content-Disposition", "attachment; filename=\"" + folder + ".zip\""));
  }

  private Route asset(String name) {
    if (!ASSET.matcher(name).matches()) {
      return complete(StatusCodes.NOT_FOUND);
    }
    byte[] bytes = resource("console/" + name);
    if (bytes == null) {
      return complete(StatusCodes.NOT_FOUND);
    }
    return complete(
        HttpResponse.create()
            .withStatus(StatusCodes.OK)
            .withEntity(contentType(name), bytes)
            .addHeader(RawHeader.create("Cache-Control", "no-cache")));
  }

  private static byte[] resource(String path) {
    try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ContentType contentType(String name) {
    if (name.endsWith(".html")) {
      return ContentTypes.TEXT_HTML_UTF8;
    }
    if (name.endsWith(".js")) {
      return ContentTypes.create(
          MediaTypes.APPLICATION_JAVASCRIPT,
          org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8);
    }
    if (name.endsWith(".css")) {
      return ContentTypes.create(
          MediaTypes.TEXT_CSS, org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8);
    }
    if (name.endsWith(".png")) {
      return ContentTypes.create(MediaTypes.IMAGE_PNG);
    }
    return ContentTypes.APPLICATION_OCTET_STREAM;
  }

  private Route respond(CompletionStage<HttpResponse> work) {
    return onComplete(
        work,
        t -> {
          if (t.isSuccess()) {
            return complete(t.get());
          }
          LOG.warn("console request failed", t.failed().get());
          return complete(
              json(StatusCodes.INTERNAL_SERVER_ERROR, Map.of("error", "internal error")));
        });
  }

  private static HttpResponse notFound(String id) {
    return json(StatusCodes.NOT_FOUND, Map.of("error", "unknown account", "account_id", id));
  }

  private static HttpResponse json(StatusCode status, Object body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, ApiJson.bytes(body));
  }
}
