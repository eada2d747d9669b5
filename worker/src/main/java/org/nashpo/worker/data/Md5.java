package org.nashpo.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** MD5 digests as {@code md5sum} prints them (lower-case hex). */
final class Md5 {

    private static final Pattern MANIFEST_LINE = Pattern.compile("([0-9a-fA-F]{32}) [ *](.+)");

    private Md5() {
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides MD5", e);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * A checksum manifest ({@code md5sum}'s output: {@code <md5 hex>  <file name>} a line) as file name →
     * digest; a malformed line, a name listed twice or a listed file missing from {@code files} is added to
     * {@code problems}.
     */
    static Map<String, String> manifest(FileSystem fs, Path path, Map<String, FileStatus> files,
            List<String> problems) throws IOException {
        String text;
        try (InputStream in = fs.open(path)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> md5 = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            Matcher m = MANIFEST_LINE.matcher(lines[i]);
            if (!m.matches()) {
                problems.add(path + " line " + (i + 1) + " is not '<md5 hex>  <file name>': '" + lines[i] + "'");
                continue;
            }
            String name = m.group(2);
            if (md5.put(name, m.group(1).toLowerCase()) != null) {
                problems.add(path + " lists " + name + " twice");
            } else if (!files.containsKey(name)) {
                problems.add(path + " lists " + new Path(path.getParent(), name) + ", which is missing");
            }
        }
        return md5;
    }

    static String of(byte[] content) {
        MessageDigest digest = newDigest();
        digest.update(content);
        return hex(digest);
    }
}
