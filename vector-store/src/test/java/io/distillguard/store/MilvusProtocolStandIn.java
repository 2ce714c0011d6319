package io.distillguard.store;

import io.distillguard.enrich.Vectors;
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
import io.milvus.grpc.GetLoadStateRequest;
import io.milvus.grpc.GetLoadStateResponse;
import io.milvus.grpc.GetLoadingProgressRequest;
import io.milvus.grpc.GetLoadingProgressResponse;
import io.milvus.grpc.HasCollectionRequest;
import io.milvus.grpc.IDs;
import io.milvus.grpc.IndexDescription;
import io.milvus.grpc.IndexState;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.LoadCollectionRequest;
import io.milvus.grpc.LoadState;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.grpc.MutationResult;
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
import io.milvus.shaded.io.grpc.Server;
import io.milvus.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.milvus.shaded.io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
  private final Map<String, StandInCollection> collections = new ConcurrentHashMap<>();
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

  private StandInCollection collection(String name) {
    StandInCollection c = collections.get(name);
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
            StandInCollection c = new StandInCollection(schema, props);
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
            StandInCollection c = collection(request.getCollectionName());
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
            StandInCollection c = collection(request.getCollectionName());
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
            StandInCollection c = collection(request.getCollectionName());
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
            StandInCollection c = collection(request.getCollectionName());
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
            StandInCollection c = collection(request.getCollectionName());
            List<Map<String, Object>> rows =
                StandInColumns.decodeRows(c, request.getFieldsDataList());
            List<String> ids = c.upsert(rows);
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
            StandInCollection c = collection(request.getCollectionName());
            Predicate<Map<String, Object>> match =
                StandInExpression.parse(request.getExpr(), c.fields);
            long n = c.delete(match);
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
            StandInCollection c = collection(request.getCollectionName());
            Predicate<Map<String, Object>> match =
                StandInExpression.parse(request.getExpr(), c.fields);
            long limit = Long.MAX_VALUE;
            for (KeyValuePair kv : request.getQueryParamsList()) {
              if (kv.getKey().equals("limit")) {
                limit = Long.parseLong(kv.getValue());
              }
            }
            List<Map<String, Object>> hits = c.matching(match);
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
            List<String> outFields = c.outputFields(fields);
            b.addAllOutputFields(outFields);
            for (String f : outFields) {
              b.addFieldsData(StandInColumns.column(c.fields.get(f), hits));
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
            StandInCollection c = collection(request.getCollectionName());
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
            List<float[]> queries =
                StandInColumns.decodePlaceholders(request.getPlaceholderGroup());
            Predicate<Map<String, Object>> match =
                StandInExpression.parse(request.getDsl(), c.fields);
            List<String> outFields = c.outputFields(request.getOutputFieldsList());
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
              for (Map<String, Object> row : c.matching(match)) {
                scored.add(Map.entry(row, (float) Vectors.cosine(q, (float[]) row.get(annsField))));
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
              data.addFieldsData(StandInColumns.column(c.fields.get(f), allHits));
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
}
