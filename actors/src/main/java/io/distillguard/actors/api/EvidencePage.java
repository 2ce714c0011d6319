package io.distillguard.actors.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.embedding.TextEmbedder;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.ScoredRecord;
import io.distillguard.store.VectorStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One page of {@code GET /v1/accounts/{id}/evidence}: at most {@value #MAX_LIMIT} records and about
 * {@value #MAX_PAGE_BYTES} bytes (a page always holds at least one record), newest first or nearest
 * to a text; {@code next_offset} says where the next page starts (null on the last one). The offset
 * is bounded ({@value #MAX_OFFSET}) so no request makes the store read an unbounded result.
 */
final class EvidencePage {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;
  static final int MAX_OFFSET = 10_000;
  static final int MAX_PAGE_BYTES = 4 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private EvidencePage() {}

  /** The parsed query of one evidence request. */
  record Request(String accountId, String near, Long from, Long to, int limit, int offset) {

    static Request parse(String accountId, Map<String, String> params) {
      String near = params.get("near");
      return new Request(
          accountId,
          near == null || near.isBlank() ? null : near,
          Optional.ofNullable(params.get("from")).map(QueryParams::time).orElse(null),
          Optional.ofNullable(params.get("to")).map(QueryParams::time).orElse(null),
          bounded(params.get("limit"), "limit", 1, MAX_LIMIT, DEFAULT_LIMIT),
          bounded(params.get("offset"), "offset", 0, MAX_OFFSET, 0));
    }

    /** What the audit log keeps of the request (the reviewer's own text, never evidence). */
    String auditDetail() {
      return "near="
          + (near == null ? "" : near.length() > 200 ? near.substring(0, 200) : near)
          + " from="
          + (from == null ? "" : from)
          + " to="
          + (to == null ? "" : to)
          + " limit="
          + limit
          + " offset="
          + offset;
    }
  }

  /** Reads one page (blocking). */
  static Map<String, Object> read(Request r, VectorStore store, TextEmbedder embedder) {
    RecordFilter filter = RecordFilter.account(r.accountId()).withTimeRange(r.from(), r.to());
    int want = r.offset() + r.limit() + 1; // one more: is there a next page?
    List<Map<String, Object>> all = new ArrayList<>();
    if (r.near() != null) {
      for (ScoredRecord s : store.search(embedder.embed(r.near()), filter, want)) {
        Map<String, Object> row = ApiJson.recordJson(s.record());
        row.put("score", s.score());
        all.add(row);
      }
    } else {
      for (QueryRecord q : store.query(filter, want)) {
        all.add(ApiJson.recordJson(q));
      }
    }
    List<Map<String, Object>> page = new ArrayList<>();
    long bytes = 0;
    for (int i = r.offset(); i < all.size() && page.size() < r.limit(); i++) {
      long size = size(all.get(i));
      if (!page.isEmpty() && bytes + size > MAX_PAGE_BYTES) {
        break;
      }
      page.add(all.get(i));
      bytes += size;
    }
    int next = r.offset() + page.size();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("account_id", r.accountId());
    out.put("near", r.near());
    out.put("records", page);
    out.put("next_offset", next < all.size() && next <= MAX_OFFSET ? next : null);
    return out;
  }

  private static long size(Map<String, Object> row) {
    try {
      return JSON.writeValueAsBytes(row).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int bounded(String value, String name, int min, int max, int dflt) {
    if (value == null) {
      return dflt;
    }
    try {
      int v = Integer.parseInt(value.trim());
      if (v < min || v > max) {
        throw new IllegalArgumentException(name + " must be in " + min + ".." + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer");
    }
  }
}
