package io.distillguard.store;

import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.FieldSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One collection of {@link MilvusProtocolStandIn}: the schema and properties it was created with
 * and its rows, keyed by primary key (so an upsert replaces), read and written under its lock.
 */
final class StandInCollection {
  final CollectionSchema schema;
  final Map<String, String> properties;
  final String primaryField;
  final Map<String, FieldSchema> fields = new LinkedHashMap<>();
  final Map<Object, Map<String, Object>> rows = new LinkedHashMap<>();

  StandInCollection(CollectionSchema schema, Map<String, String> properties) {
    this.schema = schema;
    this.properties = properties;
    String pk = null;
    for (FieldSchema f : schema.getFieldsList()) {
      fields.put(f.getName(), f);
      if (f.getIsPrimaryKey()) {
        pk = f.getName();
      }
    }
    if (pk == null) {
      throw new StandInException("schema has no primary key");
    }
    this.primaryField = pk;
  }

  /**
   * The fields a result carries for {@code requested} ({@code *}: all), the primary key always
   * first when not asked for.
   */
  List<String> outputFields(List<String> requested) {
    List<String> out = new ArrayList<>();
    for (String f : requested) {
      if (f.equals("*")) {
        out.addAll(fields.keySet());
      } else if (!fields.containsKey(f)) {
        throw new StandInException("field " + f + " not exist");
      } else if (!out.contains(f)) {
        out.add(f);
      }
    }
    if (!out.contains(primaryField)) {
      out.add(0, primaryField);
    }
    return out;
  }

  /**
   * Stores {@code newRows}, each replacing the row with its primary key (the new version becomes
   * the newest row); returns their keys.
   */
  synchronized List<String> upsert(List<Map<String, Object>> newRows) {
    List<String> ids = new ArrayList<>();
    for (Map<String, Object> row : newRows) {
      Object pk = row.get(primaryField);
      rows.remove(pk);
      rows.put(pk, row);
      ids.add(pk.toString());
    }
    return ids;
  }

  /** Deletes the rows {@code match} accepts; returns how many. */
  synchronized long delete(Predicate<Map<String, Object>> match) {
    int before = rows.size();
    rows.values().removeIf(match);
    return before - rows.size();
  }

  /** The rows {@code match} accepts, oldest first. */
  synchronized List<Map<String, Object>> matching(Predicate<Map<String, Object>> match) {
    List<Map<String, Object>> hits = new ArrayList<>();
    for (Map<String, Object> row : rows.values()) {
      if (match.test(row)) {
        hits.add(row);
      }
    }
    return hits;
  }
}
