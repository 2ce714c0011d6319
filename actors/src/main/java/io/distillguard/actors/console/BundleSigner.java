package io.distillguard.actors.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signs case bundles' manifests with Ed25519 (JDK built-in). The key pair lives in {@code
 * <data-dir>/keys/} ({@code bundle-signing.key}, PKCS#8, readable by the owner only, and {@code
 * bundle-signing.pub}), created on first use and kept: a recipient checks a bundle against the
 * public key's fingerprint that the provider published, so the key must outlive every bundle.
 */
public final class BundleSigner {

  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  private BundleSigner(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** The key pair under {@code keyDir}, created there when absent. */
  public static synchronized BundleSigner inDirectory(Path keyDir) {
    Path priv = keyDir.resolve("bundle-signing.key");
    Path pub = keyDir.resolve("bundle-signing.pub");
    try {
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      if (Files.exists(priv) && Files.exists(pub)) {
        return new BundleSigner(
            kf.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(priv))),
            kf.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub))));
      }
      Files.createDirectories(keyDir);
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      Path tmp = Files.createTempFile(keyDir, "key", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the directory's own permissions apply.
      }
      Files.write(tmp, pair.getPrivate().getEncoded());
      Files.move(tmp, priv, StandardCopyOption.ATOMIC_MOVE);
      Files.write(pub, pair.getPublic().getEncoded());
      return new BundleSigner(pair.getPrivate(), pair.getPublic());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read or create the bundle signing key in " + keyDir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bad bundle signing key in " + keyDir, e);
    }
  }

  /** The Ed25519 signature (64 bytes) over {@code data}. */
  public byte[] sign(byte[] data) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when {@code signature} is this key's signature over {@code data}. */
  public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The public key as PEM ({@code openssl pkeyutl -verify -pubin -inkey} reads it). */
  public String publicKeyPem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(publicKey.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** SHA-256 of the public key's X.509 encoding, hex: what a provider publishes. */
  public String fingerprint() {
    return sha256Hex(publicKey.getEncoded());
  }

  static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
