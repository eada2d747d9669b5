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
 * A benchmark's cells are of its manifest's space ({@code space}: network family and operations in
 * digit order; NAS-HPO-Bench-II's when the manifest leaves it out), and its tables name them by
 * cellcodes in that space's digits; {@link org.nashpo.bench.format.ClassOrdinals} numbers a space's
 * classes. {@link org.nashpo.bench.format.BenchmarkWriter} writes a directory of a
 * {@link org.nashpo.bench.format.BenchmarkGrid} (format 1 for the published grid, format 2 for any
 * other) from reusable row buffers
 * ({@link org.nashpo.bench.format.RunRow}, {@link org.nashpo.bench.format.PredictionRow});
 * {@link org.nashpo.bench.format.BenchmarkFiles} checks a manifest and decodes the listed files in
 * parallel, straight into those buffers (no record objects, no boxing), resolving other writer
 * schemas such as spark-avro's nullable ones through Avro.
 */
package org.nashpo.bench.format;
