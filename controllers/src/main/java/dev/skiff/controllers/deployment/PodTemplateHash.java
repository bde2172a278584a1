package dev.skiff.controllers.deployment;

import com.google.protobuf.CodedOutputStream;
import dev.skiff.api.v1.PodTemplateSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The {@code pod-template-hash} of a Deployment's pod template, as Kubernetes computes it
 * ({@code controller.ComputeHash}): FNV-1a 32 over the template (here its deterministic protobuf
 * encoding, without the hash label itself), then the collision count as four little-endian
 * bytes, and the decimal value written in a consonant-and-digit alphabet so it never spells a
 * word.
 */
public final class PodTemplateHash {
  /** The label a Deployment adds to its ReplicaSets' selectors and pod templates. */
  public static final String LABEL = "pod-template-hash";

  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private PodTemplateHash() {}

  /** The hash of {@code template}, whose own {@value #LABEL} label is ignored. */
  public static String compute(PodTemplateSpec template, int collisionCount) {
    int hash = FNV_OFFSET;
    hash = fnv(hash, deterministicBytes(withoutHashLabel(template)));
    if (collisionCount > 0) {
      byte[] count = {
        (byte) collisionCount, (byte) (collisionCount >>> 8),
        (byte) (collisionCount >>> 16), (byte) (collisionCount >>> 24)
      };
      hash = fnv(hash, count);
    }
    return safeEncode(Integer.toUnsignedString(hash));
  }

  /** {@code template} without the {@value #LABEL} label. */
  public static PodTemplateSpec withoutHashLabel(PodTemplateSpec template) {
    if (!template.getMetadata().containsLabels(LABEL)) {
      return template;
    }
    PodTemplateSpec.Builder b = template.toBuilder();
    b.getMetadataBuilder().removeLabels(LABEL);
    return b.build();
  }

  /** Whether two templates are equal once the {@value #LABEL} label is ignored. */
  public static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
    return withoutHashLabel(a).equals(withoutHashLabel(b));
  }

  /** Maps each character to the safe alphabet (Kubernetes' {@code rand.SafeEncodeString}). */
  static String safeEncode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      out.append(SAFE_ALPHABET.charAt(s.charAt(i) % SAFE_ALPHABET.length()));
    }
    return out.toString();
  }

  private static int fnv(int hash, byte[] bytes) {
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    return hash;
  }

  private static byte[] deterministicBytes(PodTemplateSpec template) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(template.getSerializedSize());
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      template.writeTo(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("serializing to memory cannot fail", e);
    }
  }
}
