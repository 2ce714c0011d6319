package io.distillguard.ingest.preamble;

import io.distillguard.enrich.PreambleLearner;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer of a {@link PreambleLearner} kept as an object in keyed state: the learner's
 * own bytes ({@link PreambleLearner#toBytes}) after their length. With the heap state backend it
 * runs only in checkpoints and savepoints, not per event; {@link #copy} is the learner's deep copy
 * (the heap backend copies a state object a running snapshot still holds before it is changed).
 */
public final class PreambleLearnerSerializer extends TypeSerializerSingleton<PreambleLearner> {

  private static final long serialVersionUID = 1L;

  public static final PreambleLearnerSerializer INSTANCE = new PreambleLearnerSerializer();

  private PreambleLearnerSerializer() {}

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public PreambleLearner createInstance() {
    return new PreambleLearner();
  }

  @Override
  public PreambleLearner copy(PreambleLearner from) {
    return from.copy();
  }

  @Override
  public PreambleLearner copy(PreambleLearner from, PreambleLearner reuse) {
    return from.copy();
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(PreambleLearner record, DataOutputView target) throws IOException {
    byte[] bytes = record.toBytes();
    target.writeInt(bytes.length);
    target.write(bytes);
  }

  @Override
  public PreambleLearner deserialize(DataInputView source) throws IOException {
    byte[] bytes = new byte[source.readInt()];
    source.readFully(bytes);
    return PreambleLearner.fromBytes(bytes);
  }

  @Override
  public PreambleLearner deserialize(PreambleLearner reuse, DataInputView source)
      throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    int length = source.readInt();
    target.writeInt(length);
    target.write(source, length);
  }

  @Override
  public TypeSerializerSnapshot<PreambleLearner> snapshotConfiguration() {
    return new Snapshot();
  }

  /** The serializer's snapshot: it has no configuration. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<PreambleLearner> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
