package io.distillguard.actors.taxonomy;

import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The category layouts (names, in index order) of every capability taxonomy this node has run with,
 * by {@link CapabilityTaxonomy#version()}, kept as one small text file per version in a directory
 * under the data dir.
 *
 * <p>Why: when the taxonomy changes, the ingest job switches at once while observations of the old
 * taxonomy may still wait, unconsumed, in the topic. A node restarted on the new taxonomy knows the
 * old one's layout from here and can translate those observations instead of refusing them.
 */
public final class TaxonomyLayouts {

  private static final Pattern VERSION = Pattern.compile("sha256:[0-9a-f]{16}");

  private TaxonomyLayouts() {}

  /**
   * Records {@code current}'s layout in {@code dir} (created if missing) and returns every layout
   * recorded there, {@code current}'s included.
   */
  public static Map<String, List<String>> recordAndLoad(Path dir, CapabilityTaxonomy current) {
    try {
      Files.createDirectories(dir);
      Path own = dir.resolve(fileName(current.version()));
      if (!Files.exists(own)) {
        // write then move: a crash never leaves a half-written layout behind
        Path tmp = Files.createTempFile(dir, "layout", ".tmp");
        Files.write(tmp, current.names(), StandardCharsets.UTF_8);
        Files.move(tmp, own, StandardCopyOption.ATOMIC_MOVE);
      }
      Map<String, List<String>> out = new HashMap<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          if (name.endsWith(".names")) {
            String version = "sha256:" + name.substring(0, name.length() - ".names".length());
            if (VERSION.matcher(version).matches()) {
              out.put(version, List.copyOf(Files.readAllLines(f, StandardCharsets.UTF_8)));
            }
          }
        }
      }
      return Map.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the taxonomy layouts in " + dir, e);
    }
  }

  private static String fileName(String version) {
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("not a taxonomy version: " + version);
    }
    return version.substring("sha256:".length()) + ".names";
  }
}
