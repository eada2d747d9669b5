package org.nashpo.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one way nashpo names things by content: 16 hex digits, the first 64 bits of the SHA-256 of a
 * canonical text. Used for cell classes, protocols and runs; ids are stored in files, so the
 * function must never change.
 */
public final class StableId {

    private StableId() {
    }

    public static String of(String canonicalText) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalText.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
