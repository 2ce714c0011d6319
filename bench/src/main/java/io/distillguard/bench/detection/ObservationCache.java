package io.distillguard.bench.detection;

import io.distillguard.observe.AccountObservation;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A split's enriched observations in a plain binary file, so tuning tools re-read a split in a
 * second instead of parsing and enriching every event again. Only the fields the detector reads.
 */
final class ObservationCache {

  private ObservationCache() {}

  static void write(Path file, SplitObservations split) throws IOException {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(split.categories().size());
      for (String c : split.categories()) {
        out.writeUTF(c);
      }
      Map<float[], Integer> shareIds = new HashMap<>();
      List<AccountObservation> obs = split.observations();
      out.writeInt(obs.size());
      for (AccountObservation o : obs) {
        out.writeUTF(o.eventId());
        out.writeUTF(o.accountId());
        out.writeLong(o.eventTimeMillis());
        out.writeUTF(o.category() == null ? "" : o.category());
        out.writeFloat(o.categorySimilarity());
        out.writeFloat(o.statedUseSimilarity());
        out.writeLong(o.lshSignature());
        out.writeLong(o.templateFingerprint());
        out.writeLong(o.verifiedAtMillis() == null ? Long.MIN_VALUE : o.verifiedAtMillis());
        float[] shares = o.statedUseCategoryShares();
        if (shares == null) {
          out.writeInt(-1);
        } else {
          Integer id = shareIds.get(shares);
          if (id != null) {
            out.writeInt(id);
          } else {
            shareIds.put(shares, shareIds.size());
            out.writeInt(-2);
            out.writeInt(shares.length);
            for (float f : shares) {
              out.writeFloat(f);
            }
          }
        }
      }
    }
  }

  static SplitObservations read(Path file, Map<String, AccountLabel> labels) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      int k = in.readInt();
      List<String> cats = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        cats.add(in.readUTF());
      }
      int n = in.readInt();
      List<float[]> shareTable = new ArrayList<>();
      List<AccountObservation> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String id = in.readUTF();
        String account = in.readUTF();
        long t = in.readLong();
        String cat = in.readUTF();
        float catSim = in.readFloat();
        float useSim = in.readFloat();
        long lsh = in.readLong();
        long tpl = in.readLong();
        long verified = in.readLong();
        int s = in.readInt();
        float[] shares = null;
        if (s == -2) {
          shares = new float[in.readInt()];
          for (int j = 0; j < shares.length; j++) {
            shares[j] = in.readFloat();
          }
          shareTable.add(shares);
        } else if (s >= 0) {
          shares = shareTable.get(s);
        }
        out.add(
            new AccountObservation(
                id,
                account,
                t,
                cat.isEmpty() ? null : cat,
                catSim,
                useSim,
                lsh,
                tpl,
                0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                verified == Long.MIN_VALUE ? null : verified,
                shares,
                null,
                null,
                null));
      }
      return new SplitObservations(out, labels, cats);
    }
  }
}
