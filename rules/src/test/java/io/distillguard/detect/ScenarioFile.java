package io.distillguard.detect;

import io.distillguard.observe.AccountObservation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a scenario file written by the bench's {@code ScenarioSampleExport}: enriched observations
 * of real benchmark accounts (categories, similarities, LSH signatures; no prompt text), one
 * account after another. The category similarity is the observation line's last column (0.5 in
 * files written before it was exported).
 */
final class ScenarioFile {

  record Account(String id, String kind, List<AccountObservation> observations) {}

  final List<String> categories;
  final List<Account> accounts;

  private ScenarioFile(List<String> categories, List<Account> accounts) {
    this.categories = categories;
    this.accounts = accounts;
  }

  static ScenarioFile load(String resource) throws IOException {
    List<String> categories = null;
    Map<String, String> kindOf = new LinkedHashMap<>();
    Map<String, Long> verified = new LinkedHashMap<>();
    Map<String, float[]> shares = new LinkedHashMap<>();
    Map<String, List<AccountObservation>> obs = new LinkedHashMap<>();
    try (InputStream in = ScenarioFile.class.getClassLoader().getResourceAsStream(resource);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int seq = 0;
      while ((line = r.readLine()) != null) {
        String[] f = line.split("\t");
        switch (f[0]) {
          case "C" -> categories = List.of(Arrays.copyOfRange(f, 1, f.length));
          case "A" -> {
            kindOf.put(f[1], f[2]);
            long v = Long.parseLong(f[3]);
            verified.put(f[1], v < 0 ? null : v);
            if (!f[4].equals("-")) {
              String[] parts = f[4].split(",");
              float[] s = new float[parts.length];
              for (int i = 0; i < s.length; i++) {
                s[i] = Float.parseFloat(parts[i]);
              }
              shares.put(f[1], s);
            }
          }
          case "O" ->
              obs.computeIfAbsent(f[1], k -> new ArrayList<>())
                  .add(
                      new AccountObservation(
                          "e" + seq++,
                          f[1],
                          Long.parseLong(f[2]),
                          f[3],
                          f.length > 7 ? Float.parseFloat(f[7]) : 0.5f,
                          Float.parseFloat(f[4]),
                          Long.parseUnsignedLong(f[5], 16),
                          Long.parseUnsignedLong(f[6], 16),
                          0,
                          null,
                          null,
                          null,
                          null,
                          null,
                          null,
                          null,
                          verified.get(f[1]),
                          shares.get(f[1]),
                          null,
                          null,
                          null));
          default -> throw new IllegalStateException("bad line: " + f[0]);
        }
      }
    }
    List<Account> accounts = new ArrayList<>();
    kindOf.forEach((id, kind) -> accounts.add(new Account(id, kind, obs.get(id))));
    return new ScenarioFile(categories, accounts);
  }
}
