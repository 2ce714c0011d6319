package io.distillguard.store;

import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.FieldSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One collection of {@link MilvusProtocolStandIn}: the schema and properties it was created with
 * and its rows, keyed by primary key (so an upsert replaces).
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
}
