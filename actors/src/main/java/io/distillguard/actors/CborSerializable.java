package io.distillguard.actors;

/**
 * Marker for every message, event and state that crosses a serialization boundary (journal,
 * snapshot store, remoting): bound to Pekko's Jackson CBOR serializer in {@code reference.conf}.
 */
public interface CborSerializable {}
