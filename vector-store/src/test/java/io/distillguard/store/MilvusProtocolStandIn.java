package io.distillguard.store;

import com.google.protobuf.ByteString;
import io.milvus.grpc.AllocTimestampRequest;
import io.milvus.grpc.AllocTimestampResponse;
import io.milvus.grpc.AlterCollectionRequest;
import io.milvus.grpc.BoolResponse;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConnectRequest;
import io.milvus.grpc.ConnectResponse;
import io.milvus.grpc.CreateCollectionRequest;
import io.milvus.grpc.CreateIndexRequest;
import io.milvus.grpc.DataType;
import io.milvus.grpc.DeleteRequest;
import io.milvus.grpc.DescribeCollectionRequest;
import io.milvus.grpc.DescribeCollectionResponse;
import io.milvus.grpc.DescribeIndexRequest;
import io.milvus.grpc.DescribeIndexResponse;
import io.milvus.grpc.ErrorCode;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.FloatArray;
import io.milvus.grpc.GetLoadStateRequest;
import io.milvus.grpc.GetLoadStateResponse;
import io.milvus.grpc.GetLoadingProgressRequest;
import io.milvus.grpc.GetLoadingProgressResponse;
import io.milvus.grpc.HasCollectionRequest;
import io.milvus.grpc.IDs;
import io.milvus.grpc.IndexDescription;
import io.milvus.grpc.IndexState;
import io.milvus.grpc.JSONArray;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.LoadCollectionRequest;
import io.milvus.grpc.LoadState;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.grpc.MutationResult;
import io.milvus.grpc.PlaceholderGroup;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.QueryResults;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.SearchRequest;
import io.milvus.grpc.SearchResultData;
import io.milvus.grpc.SearchResults;
import io.milvus.grpc.ServerInfo;
import io.milvus.grpc.Status;
import io.milvus.grpc.StringArray;
import io.milvus.grpc.UpsertRequest;
import io.milvus.grpc.VectorField;
import io.milvus.shaded.io.grpc.Server;
import io.milvus.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.milvus.shaded.io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A Milvus-protocol stand-in for tests: a gRPC server on the SDK's own (shaded) service base that
 * implements the RPCs {@link MilvusVectorStore} uses, with real semantics. It keeps rows per
 * collection keyed by primary key (so upsert replaces), evaluates the boolean expressions the
 * adapter emits (conjunctions of {@code ==, !=, <, <=, >, >=} and {@code in [...]} over string and
 * integer literals), ranks searches by exact cosine and counts with {@code count(*)}.
 *
 * <p>It is not Milvus: no segments, no index, no consistency levels (everything is immediately
 * visible). Like Milvus it reports failures as a {@link Status} with a non-zero code rather than a
 * gRPC error (the client retries UNAVAILABLE and INTERNAL many times), and search results name
 * their {@code primary_field_name}. Binds 127.0.0.1 on an ephemeral port.
 */
final class MilvusProtocolStandIn implements AutoCloseable {

  private final Server server;
  private final Map<String, Collection> collections = new ConcurrentHashMap<>();
  private final AtomicLong clock = new AtomicLong(1);

  /** Every RPC name received, for tests that check what the adapter sends. */
  final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());

  private MilvusProtocolStandIn() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new Service())
            .build()
            .start();
  }

  static MilvusProtocolStandIn start() throws IOException {
    return new MilvusProtocolStandIn();
  }

  String uri() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** The properties a collection was created with (e.g. {@code collection.ttl.seconds}). */
  Map<String, String> properties(String collection) {
    return collections.get(collection).properties;
  }

  CollectionSchema schema(String collection) {
    return collections.get(collection).schema;
  }

  boolean hasCollection(String collection) {
    return collections.containsKey(collection);
  }

  void drop(String collection) {
    collections.remove(collection);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(10, TimeUnit.SECONDS);
  }

  private static final class Collection {
    final CollectionSchema schema;
    final Map<String, String> properties;
    final String primaryField;
    final Map<String, FieldSchema> fields = new LinkedHashMap<>();
    final Map<Object, Map<String, Object>> rows = new LinkedHashMap<>();

    Collection(CollectionSchema schema, Map<String, String> properties) {
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
  }

  /** A request the stand-in refuses; reported to the client as a non-zero Status. */
  private static final class StandInException extends RuntimeException {
    StandInException(String message) {
      super(message);
    }
  }

  private static Status ok() {
    return Status.newBuilder().setErrorCode(ErrorCode.Success).setCode(0).build();
  }

  private static Status error(String reason) {
    return Status.newBuilder()
        .setErrorCode(ErrorCode.UnexpectedError)
        .setCode(1100) // Milvus's "invalid parameter" family; anything non-zero works
        .setReason(reason)
        .build();
  }

  private Collection collection(String name) {
    Collection c = collections.get(name);
    if (c == null) {
      throw new StandInException("collection not found[collection=" + name + "]");
    }
    return c;
  }

  private final class Service extends MilvusServiceGrpc.MilvusServiceImplBase {

    /** Runs a handler; failures become a response with a non-zero Status. */
    private <T> void respond(
        String rpc,
        StreamObserver<T> out,
        java.util.function.Supplier<T> handler,
        java.util.function.Function<Status, T> onError) {
      calls.add(rpc);
      T response;
      try {
        response = handler.get();
      } catch (StandInException | IllegalArgumentException | IllegalStateException e) {
        response = onError.apply(error(e.getMessage()));
      }
      out.onNext(response);
      out.onCompleted();
    }

    @Override
    public void connect(ConnectRequest request, StreamObserver<ConnectResponse> out) {
      respond(
          "Connect",
          out,
          () ->
              ConnectResponse.newBuilder()
                  .setStatus(ok())
                  .setServerInfo(ServerInfo.newBuilder().setBuildTags("v2.6-stand-in").build())
                  .setIdentifier(1)
                  .build(),
          s -> ConnectResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void hasCollection(HasCollectionRequest request, StreamObserver<BoolResponse> out) {
      respond(
          "HasCollection",
          out,
          () ->
              BoolResponse.newBuilder()
                  .setStatus(ok())
                  .setValue(collections.containsKey(request.getCollectionName()))
                  .build(),
          s -> BoolResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void createCollection(CreateCollectionRequest request, StreamObserver<Status> out) {
      respond(
          "CreateCollection",
          out,
          () -> {
            CollectionSchema schema;
            try {
              schema = CollectionSchema.parseFrom(request.getSchema());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
              throw new StandInException("bad schema: " + e.getMessage());
            }
            Map<String, String> props = new HashMap<>();
            for (KeyValuePair kv : request.getPropertiesList()) {
              props.put(kv.getKey(), kv.getValue());
            }
            Collection c = new Collection(schema, props);
            if (collections.putIfAbsent(request.getCollectionName(), c) != null) {
              throw new StandInException("collection already exists");
            }
            return ok();
          },
          s -> s);
    }

    @Override
    public void describeCollection(
        DescribeCollectionRequest request, StreamObserver<DescribeCollectionResponse> out) {
      respond(
          "DescribeCollection",
          out,
          () -> {
            Collection c = collection(request.getCollectionName());
            DescribeCollectionResponse.Builder b =
                DescribeCollectionResponse.newBuilder()
                    .setStatus(ok())
                    .setSchema(c.schema)
                    .setCollectionName(request.getCollectionName())
                    .setCollectionID(Math.abs((long) request.getCollectionName().hashCode()) + 1)
                    .setShardsNum(1)
                    .setNumPartitions(16);
            c.properties.forEach(
                (k, v) -> b.addProperties(KeyValuePair.newBuilder().setKey(k).setValue(v)));
            return b.build();
          },
          s -> DescribeCollectionResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void createIndex(CreateIndexRequest request, StreamObserver<Status> out) {
      respond(
          "CreateIndex",
          out,
          () -> {
            Collection c = collection(request.getCollectionName());
            FieldSchema f = c.fields.get(request.getFieldName());
            if (f == null || f.getDataType() != DataType.FloatVector) {
              throw new StandInException("cannot index field " + request.getFieldName());
            }
            return ok();
          },
          s -> s);
    }

    @Override
    public void alterCollection(AlterCollectionRequest request, StreamObserver<Status> out) {
      respond(
          "AlterCollection",
          out,
          () -> {
            Collection c = collection(request.getCollectionName());
            for (KeyValuePair kv : request.getPropertiesList()) {
              c.properties.put(kv.getKey(), kv.getValue());
            }
            return ok();
          },
          s -> s);
    }

    @Override
    public void describeIndex(
        DescribeIndexRequest request, StreamObserver<DescribeIndexResponse> out) {
      respond(
          "DescribeIndex",
          out,
          () -> {
            Collection c = collection(request.getCollectionName());
            return DescribeIndexResponse.newBuilder()
                .setStatus(ok())
                .addIndexDescriptions(
                    IndexDescription.newBuilder()
                        .setFieldName(MilvusVectorStore.EMBEDDING)
                        .setIndexName(MilvusVectorStore.EMBEDDING)
                        .setState(IndexState.Finished)
                        .setIndexedRows(c.rows.size())
                        .setTotalRows(c.rows.size()))
                .build();
          },
          s -> DescribeIndexResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void allocTimestamp(
        AllocTimestampRequest request, StreamObserver<AllocTimestampResponse> out) {
      respond(
          "AllocTimestamp",
          out,
          () ->
              AllocTimestampResponse.newBuilder()
                  .setStatus(ok())
                  .setTimestamp(clock.incrementAndGet())
                  .build(),
          s -> AllocTimestampResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void loadCollection(LoadCollectionRequest request, StreamObserver<Status> out) {
      respond(
          "LoadCollection",
          out,
          () -> {
            collection(request.getCollectionName());
            return ok();
          },
          s -> s);
    }

    @Override
    public void getLoadingProgress(
        GetLoadingProgressRequest request, StreamObserver<GetLoadingProgressResponse> out) {
      respond(
          "GetLoadingProgress",
          out,
          () -> {
            collection(request.getCollectionName());
            return GetLoadingProgressResponse.newBuilder()
                .setStatus(ok())
                .setProgress(100)
                .setRefreshProgress(100)
                .build();
          },
          s -> GetLoadingProgressResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void getLoadState(
        GetLoadStateRequest request, StreamObserver<GetLoadStateResponse> out) {
      respond(
          "GetLoadState",
          out,
          () -> {
            collection(request.getCollectionName());
            return GetLoadStateResponse.newBuilder()
                .setStatus(ok())
                .setState(LoadState.LoadStateLoaded)
                .build();
          },
          s -> GetLoadStateResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void upsert(UpsertRequest request, StreamObserver<MutationResult> out) {
      respond(
          "Upsert",
          out,
          () -> {
            Collection c = collection(request.getCollectionName());
            List<Map<String, Object>> rows = decodeRows(c, request.getFieldsDataList());
            List<String> ids = new ArrayList<>();
            synchronized (c) {
              for (Map<String, Object> row : rows) {
                Object pk = row.get(c.primaryField);
                c.rows.remove(pk); // an upsert replaces: the new version is the newest row
                c.rows.put(pk, row);
                ids.add(pk.toString());
              }
            }
            return MutationResult.newBuilder()
                .setStatus(ok())
                .setUpsertCnt(rows.size())
                .setIDs(IDs.newBuilder().setStrId(StringArray.newBuilder().addAllData(ids)))
                .setTimestamp(clock.incrementAndGet())
                .build();
          },
          s -> MutationResult.newBuilder().setStatus(s).build());
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<MutationResult> out) {
      respond(
          "Delete",
          out,
          () -> {
            Collection c = collection(request.getCollectionName());
            Predicate<Map<String, Object>> match = Expr.parse(request.getExpr(), c.fields);
            long n;
            synchronized (c) {
              int before = c.rows.size();
              c.rows.values().removeIf(match);
              n = before - c.rows.size();
            }
            return MutationResult.newBuilder()
                .setStatus(ok())
                .setDeleteCnt(n)
                .setTimestamp(clock.incrementAndGet())
                .build();
          },
          s -> MutationResult.newBuilder().setStatus(s).build());
    }

    @Override
    public void query(QueryRequest request, StreamObserver<QueryResults> out) {
      respond(
          "Query",
          out,
          () -> {
            Collection c = collection(request.getCollectionName());
            Predicate<Map<String, Object>> match = Expr.parse(request.getExpr(), c.fields);
            long limit = Long.MAX_VALUE;
            for (KeyValuePair kv : request.getQueryParamsList()) {
              if (kv.getKey().equals("limit")) {
                limit = Long.parseLong(kv.getValue());
              }
            }
            List<Map<String, Object>> hits = new ArrayList<>();
            synchronized (c) {
              for (Map<String, Object> row : c.rows.values()) {
                if (match.test(row)) {
                  hits.add(row);
                }
              }
            }
            QueryResults.Builder b =
                QueryResults.newBuilder()
                    .setStatus(ok())
                    .setCollectionName(request.getCollectionName())
                    .setPrimaryFieldName(c.primaryField);
            List<String> fields = request.getOutputFieldsList();
            if (fields.size() == 1 && fields.get(0).equalsIgnoreCase("count(*)")) {
              if (request.getExpr().isEmpty() && hits.isEmpty() && limit != Long.MAX_VALUE) {
                throw new StandInException("empty expression requires limit");
              }
              b.addOutputFields("count(*)");
              b.addFieldsData(
                  FieldData.newBuilder()
                      .setFieldName("count(*)")
                      .setType(DataType.Int64)
                      .setScalars(
                          ScalarField.newBuilder()
                              .setLongData(LongArray.newBuilder().addData(hits.size()))));
              return b.build();
            }
            if (request.getExpr().isEmpty() && limit == Long.MAX_VALUE) {
              // Real Milvus refuses an unbounded query without a filter.
              throw new StandInException("empty expression should be used with limit");
            }
            if (hits.size() > limit) {
              hits = hits.subList(0, (int) limit);
            }
            List<String> outFields = outputFields(c, fields);
            b.addAllOutputFields(outFields);
            for (String f : outFields) {
              b.addFieldsData(column(c.fields.get(f), hits));
            }
            return b.build();
          },
          s -> QueryResults.newBuilder().setStatus(s).build());
    }

    @Override
    public void search(SearchRequest request, StreamObserver<SearchResults> out) {
      respond(
          "Search",
          out,
          () -> {
            Collection c = collection(request.getCollectionName());
            Map<String, String> params = new HashMap<>();
            for (KeyValuePair kv : request.getSearchParamsList()) {
              params.put(kv.getKey(), kv.getValue());
            }
            if (!"COSINE".equalsIgnoreCase(params.get("metric_type"))) {
              throw new StandInException("metric type mismatch: " + params.get("metric_type"));
            }
            String annsField = params.get("anns_field");
            if (annsField == null || !c.fields.containsKey(annsField)) {
              throw new StandInException("unknown anns_field " + annsField);
            }
            int topK = Integer.parseInt(params.getOrDefault("topk", params.get("limit")));
            List<float[]> queries = decodePlaceholders(request.getPlaceholderGroup());
            Predicate<Map<String, Object>> match = Expr.parse(request.getDsl(), c.fields);
            List<String> outFields = outputFields(c, request.getOutputFieldsList());
            SearchResultData.Builder data =
                SearchResultData.newBuilder()
                    .setNumQueries(queries.size())
                    .setTopK(topK)
                    .setPrimaryFieldName(c.primaryField)
                    .addAllOutputFields(outFields);
            List<Map<String, Object>> allHits = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (float[] q : queries) {
              List<Map.Entry<Map<String, Object>, Float>> scored = new ArrayList<>();
              synchronized (c) {
                for (Map<String, Object> row : c.rows.values()) {
                  if (match.test(row)) {
                    scored.add(Map.entry(row, cosine(q, (float[]) row.get(annsField))));
                  }
                }
              }
              scored.sort(
                  Comparator.comparing((Map.Entry<Map<String, Object>, Float> e) -> -e.getValue()));
              List<Map.Entry<Map<String, Object>, Float>> top =
                  scored.subList(0, Math.min(topK, scored.size()));
              data.addTopks(top.size());
              for (Map.Entry<Map<String, Object>, Float> e : top) {
                allHits.add(e.getKey());
                ids.add(e.getKey().get(c.primaryField).toString());
                data.addScores(e.getValue());
              }
            }
            data.setIds(IDs.newBuilder().setStrId(StringArray.newBuilder().addAllData(ids)));
            for (String f : outFields) {
              data.addFieldsData(column(c.fields.get(f), allHits));
            }
            return SearchResults.newBuilder()
                .setStatus(ok())
                .setCollectionName(request.getCollectionName())
                .setResults(data)
                .build();
          },
          s -> SearchResults.newBuilder().setStatus(s).build());
    }
  }

  private static List<String> outputFields(Collection c, List<String> requested) {
    List<String> out = new ArrayList<>();
    for (String f : requested) {
      if (f.equals("*")) {
        out.addAll(c.fields.keySet());
      } else if (!c.fields.containsKey(f)) {
        throw new StandInException("field " + f + " not exist");
      } else if (!out.contains(f)) {
        out.add(f);
      }
    }
    if (!out.contains(c.primaryField)) {
      out.add(0, c.primaryField);
    }
    return out;
  }

  private static float cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0f : (float) (dot / Math.sqrt(na * nb));
  }

  private static List<float[]> decodePlaceholders(ByteString bytes) {
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

  private static List<Map<String, Object>> decodeRows(Collection c, List<FieldData> columns) {
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

  private static FieldData column(FieldSchema f, List<Map<String, Object>> rows) {
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

  /** The boolean expressions the adapter emits, parsed into a row predicate. */
  static final class Expr {
    private final String text;
    private final Map<String, FieldSchema> fields;
    private int pos;

    private Expr(String text, Map<String, FieldSchema> fields) {
      this.text = text;
      this.fields = fields;
    }

    static Predicate<Map<String, Object>> parse(String text, Map<String, FieldSchema> fields) {
      if (text == null || text.isBlank()) {
        return r -> true;
      }
      Expr e = new Expr(text, fields);
      Predicate<Map<String, Object>> p = e.comparison();
      e.skipSpaces();
      while (e.pos < text.length()) {
        if (!e.consume("&&") && !e.consumeWord("and")) {
          throw new StandInException("cannot parse expression at " + e.pos + ": " + text);
        }
        p = p.and(e.comparison());
        e.skipSpaces();
      }
      return p;
    }

    private Predicate<Map<String, Object>> comparison() {
      String field = identifier();
      FieldSchema f = fields.get(field);
      if (f == null) {
        throw new StandInException("field " + field + " not exist");
      }
      skipSpaces();
      if (consumeWord("in")) {
        expect('[');
        List<Object> values = new ArrayList<>();
        skipSpaces();
        if (!peek(']')) {
          do {
            values.add(literal(f));
            skipSpaces();
          } while (consume(","));
        }
        expect(']');
        return r -> values.contains(r.get(field));
      }
      String op;
      if (consume("==")) {
        op = "==";
      } else if (consume("!=")) {
        op = "!=";
      } else if (consume(">=")) {
        op = ">=";
      } else if (consume("<=")) {
        op = "<=";
      } else if (consume(">")) {
        op = ">";
      } else if (consume("<")) {
        op = "<";
      } else {
        throw new StandInException("expected an operator at " + pos + ": " + text);
      }
      Object value = literal(f);
      return r -> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        int cmp = ((Comparable) r.get(field)).compareTo(value);
        return switch (op) {
          case "==" -> cmp == 0;
          case "!=" -> cmp != 0;
          case ">=" -> cmp >= 0;
          case "<=" -> cmp <= 0;
          case ">" -> cmp > 0;
          default -> cmp < 0;
        };
      };
    }

    private Object literal(FieldSchema f) {
      skipSpaces();
      if (f.getDataType() == DataType.VarChar) {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (pos < text.length() && text.charAt(pos) != '"') {
          char ch = text.charAt(pos++);
          if (ch == '\\') {
            char esc = text.charAt(pos++);
            b.append(
                switch (esc) {
                  case 'n' -> '\n';
                  case 'r' -> '\r';
                  case 't' -> '\t';
                  default -> esc; // \\ and \"
                });
          } else {
            b.append(ch);
          }
        }
        expect('"');
        return b.toString();
      }
      if (f.getDataType() == DataType.Int64) {
        int start = pos;
        if (peek('-')) {
          pos++;
        }
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
        return Long.parseLong(text.substring(start, pos));
      }
      throw new StandInException("cannot compare field " + f.getName());
    }

    private String identifier() {
      skipSpaces();
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos) {
        throw new StandInException("expected a field name at " + pos + ": " + text);
      }
      return text.substring(start, pos);
    }

    private void skipSpaces() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private boolean peek(char c) {
      return pos < text.length() && text.charAt(pos) == c;
    }

    private boolean consume(String s) {
      skipSpaces();
      if (text.startsWith(s, pos)) {
        pos += s.length();
        return true;
      }
      return false;
    }

    private boolean consumeWord(String w) {
      skipSpaces();
      if (text.startsWith(w, pos)
          && (pos + w.length() == text.length()
              || !Character.isLetterOrDigit(text.charAt(pos + w.length())))) {
        pos += w.length();
        return true;
      }
      return false;
    }

    private void expect(char c) {
      skipSpaces();
      if (!peek(c)) {
        throw new StandInException("expected '" + c + "' at " + pos + ": " + text);
      }
      pos++;
    }
  }
}
