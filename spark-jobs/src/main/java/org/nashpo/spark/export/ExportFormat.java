package org.nashpo.spark.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@code nashpo export --format} writes. */
public enum ExportFormat {
    /** {@code runs.parquet}, {@code curves.parquet} (and {@code predictions.parquet}): tidy tables for pandas. */
    PARQUET,
    /** {@code runs.csv}, {@code curves.csv} (and {@code predictions.csv}), with a header row. */
    CSV,
    /** The benchmark's Avro tables as they are, with their schemas as {@code .avsc} files. */
    AVRO,
    /** {@code bench12.pkl}, {@code cellinfo.pkl}, {@code avgaccs200.pkl}: the original Python API's files. */
    NASHPOBENCH2;

    /** The name on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format named {@code text} (any case); an error listing the formats otherwise. */
    public static ExportFormat parse(String text) {
        for (ExportFormat f : values()) {
            if (f.cliName().equalsIgnoreCase(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("format \"" + text + "\" is not an export format; expected one of "
                + Arrays.stream(values()).map(ExportFormat::cliName).collect(Collectors.joining(", ")));
    }
}
