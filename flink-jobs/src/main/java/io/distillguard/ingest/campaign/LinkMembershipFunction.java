package io.distillguard.ingest.campaign;

import io.distillguard.campaign.KeyMembers;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkSettings;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-link-key operator: keyed by the key, it keeps the key's bounded member table ({@link
 * KeyMembers}: at most {@code maxMembersPerKey} members, a TTL, a 1 KiB account sketch, stop-words
 * without members) in keyed state and emits a {@link LinkMembership} whenever an account that is
 * new on the key finds other members there. State costs the same for a key with 100k accounts as
 * for one with 300; a key idle for the TTL (processing time, refreshed on every write) is dropped
 * by the state TTL, so keys do not leak.
 */
public final class LinkMembershipFunction
    extends KeyedProcessFunction<String, LinkSighting, LinkMembership> {

  private final LinkSettings settings;
  private transient ValueState<KeyMembers.Snapshot> table;

  public LinkMembershipFunction(LinkSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<KeyMembers.Snapshot> descriptor =
        new ValueStateDescriptor<>("link-key-members", KeyMembers.Snapshot.class);
    descriptor.enableTimeToLive(
        StateTtlConfig.newBuilder(settings.ttl())
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .build());
    table = getRuntimeContext().getState(descriptor);
  }

  @Override
  public void processElement(LinkSighting in, Context ctx, Collector<LinkMembership> out)
      throws Exception {
    LinkKey key = LinkKey.parse(ctx.getCurrentKey());
    KeyMembers.Snapshot stored = table.value();
    KeyMembers members = stored == null ? new KeyMembers(key) : KeyMembers.restore(key, stored);
    List<KeyMembers.Member> others = members.add(in.accountId(), in.atMillis(), settings);
    table.update(members.snapshot());
    if (!others.isEmpty()) {
      out.collect(
          new LinkMembership(
              ctx.getCurrentKey(),
              in.accountId(),
              in.atMillis(),
              members.weight(settings),
              members.accountCount(),
              others.stream().map(KeyMembers.Member::accountId).toArray(String[]::new)));
    }
  }
}
