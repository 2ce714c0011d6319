package io.distillguard.store;

import com.google.protobuf.ByteString;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.FloatArray;
import io.milvus.grpc.JSONArray;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.PlaceholderGroup;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.StringArray;
import io.milvus.grpc.VectorField;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@link MilvusProtocolStandIn} reads and writes the protocol's columns: inserted columns into
 * rows (checked against the schema as Milvus checks them), rows into a result column, and a
 * search's placeholder group into its query vectors.
 */
final class StandInColumns {

  private StandInColumns() {}

  static List<float[]> decodePlaceholders(ByteString bytes) {
    PlaceholderGroup group;
    try {
      group = PlaceholderGroup.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new StandInException("bad placeholder group: " + e.getMessage());
    }
    List<float[]> out = new ArrayList<>();
    for (ByteString v : group.getPlaceholders(0).getValuesList()) {
      ByteBuffer b = v.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      float[] f = new float[b.remaining() / 4];
      b.asFloatBuffer().get(f);
      out.add(f);
    }
    return out;
  }

  static List<Map<String, Object>> decodeRows(StandInCollection c, List<FieldData> columns) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (FieldData col : columns) {
      FieldSchema f = c.fields.get(col.getFieldName());
      if (f == null) {
        throw new StandInException("field " + col.getFieldName() + " not in schema");
      }
      List<Object> values = new ArrayList<>();
      switch (f.getDataType()) {
        case VarChar -> values.addAll(col.getScalars().getStringData().getDataList());
        case Int64 -> values.addAll(col.getScalars().getLongData().getDataList());
        case Float -> values.addAll(col.getScalars().getFloatData().getDataList());
        case JSON -> {
          for (ByteString j : col.getScalars().getJsonData().getDataList()) {
            values.add(j.toStringUtf8());
          }
        }
        case FloatVector -> {
          int dim = (int) col.getVectors().getDim();
          List<Float> flat = col.getVectors().getFloatVector().getDataList();
          for (int i = 0; i < flat.size(); i += dim) {
            float[] v = new float[dim];
            for (int d = 0; d < dim; d++) {
              v[d] = flat.get(i + d);
            }
            values.add(v);
          }
        }
        default -> throw new StandInException("unsupported type " + f.getDataType());
      }
      for (int i = 0; i < values.size(); i++) {
        if (rows.size() <= i) {
          rows.add(new HashMap<>());
        }
        Object v = values.get(i);
        if (f.getDataType() == DataType.VarChar) {
          int max = maxLength(f);
          if (((String) v).getBytes(StandardCharsets.UTF_8).length > max) {
            throw new StandInException(
                "length of varchar field " + f.getName() + " exceeds max length " + max);
          }
        }
        rows.get(i).put(f.getName(), v);
      }
    }
    for (Map<String, Object> row : rows) {
      for (String name : c.fields.keySet()) {
        if (!row.containsKey(name)) {
          throw new StandInException("field " + name + " is missing in an inserted row");
        }
      }
    }
    return rows;
  }

  private static int maxLength(FieldSchema f) {
    for (KeyValuePair kv : f.getTypeParamsList()) {
      if (kv.getKey().equals("max_length")) {
        return Integer.parseInt(kv.getValue());
      }
    }
    throw new StandInException("varchar field " + f.getName() + " has no max_length");
  }

  static FieldData column(FieldSchema f, List<Map<String, Object>> rows) {
    FieldData.Builder b = FieldData.newBuilder().setFieldName(f.getName()).setType(f.getDataType());
    switch (f.getDataType()) {
      case VarChar -> {
        StringArray.Builder a = StringArray.newBuilder();
        rows.forEach(r -> a.addData((String) r.get(f.getName())));
        b.setScalars(ScalarField.newBuilder().setStringData(a));
      }
      case Int64 -> {
        LongArray.Builder a = LongArray.newBuilder();
        rows.forEach(r -> a.addData((Long) r.get(f.getName())));
        b.setScalars(ScalarField.newBuilder().setLongData(a));
      }
      case Float -> {
        FloatArray.Builder a = FloatArray.newBuilder();
        rows.forEach(r -> a.addData((Float) r.get(f.getName())));
        b.setScalars(ScalarField.newBuilder().setFloatData(a));
      }
      case JSON -> {
        JSONArray.Builder a = JSONArray.newBuilder();
        rows.forEach(r -> a.addData(ByteString.copyFromUtf8((String) r.get(f.getName()))));
        b.setScalars(ScalarField.newBuilder().setJsonData(a));
      }
      case FloatVector -> {
        FloatArray.Builder a = FloatArray.newBuilder();
        int dim = 0;
        for (Map<String, Object> r : rows) {
          float[] v = (float[]) r.get(f.getName());
          dim = v.length;
          for (float x : v) {
            a.addData(x);
          }
        }
        for (KeyValuePair kv : f.getTypeParamsList()) {
          if (kv.getKey().equals("dim")) {
            dim = Integer.parseInt(kv.getValue());
          }
        }
        b.setVectors(VectorField.newBuilder().setDim(dim).setFloatVector(a));
      }
      default -> throw new StandInException("unsupported type " + f.getDataType());
    }
    return b.build();
  }
}
