/**
 * The benchmark directory on disk (docs/BENCHMARK-FORMAT.md, formats 1 and 2), as shared with the
 * Spark aggregate job:
 * <pre>
 * BENCH/manifest.json            BenchmarkManifest as JSON: counts, grid, schedules, files with
 *                                size, row count and SHA-256, completeness, provenance; written last
 * BENCH/runs-{S}/*.avro          BenchmarkRun rows: class × lr × batch size × seed, each metric an
 *                                array over the S epochs, plus the original API's time totals
 * BENCH/predictions-{L}/*.avro   SurrogatePrediction rows: one per configuration
 * BENCH/runs-{L}, classes, configurations, surrogate: listed and size-checked, not decoded here
 * </pre>
 * {@link org.nashpo.bench.format.BenchmarkWriter} writes a format-1 directory (S = 12, L = 200, the
 * full grid) from reusable row buffers
 * ({@link org.nashpo.bench.format.RunRow}, {@link org.nashpo.bench.format.PredictionRow});
 * {@link org.nashpo.bench.format.BenchmarkFiles} checks a manifest and decodes the listed files in
 * parallel, straight into those buffers (no record objects, no boxing), resolving other writer
 * schemas such as spark-avro's nullable ones through Avro.
 */
package org.nashpo.bench.format;
