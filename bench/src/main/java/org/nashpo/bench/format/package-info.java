/**
 * The benchmark directory on disk (docs/BENCHMARK-FORMAT.md), as shared with the Spark aggregate job:
 * <pre>
 * BENCH/manifest.json            BenchmarkManifest as JSON: counts, grid, schedules, files with
 *                                size, row count and SHA-256, provenance; written last
 * BENCH/runs-12/*.avro           BenchmarkRun rows: class × lr × batch size × seed, each metric an
 *                                array over the 12 epochs, plus the original API's time totals
 * BENCH/predictions-200/*.avro   SurrogatePrediction rows: one per configuration (196,608)
 * </pre>
 * {@link org.nashpo.bench.format.BenchmarkWriter} writes such a directory from reusable row buffers
 * ({@link org.nashpo.bench.format.RunRow}, {@link org.nashpo.bench.format.PredictionRow});
 * {@link org.nashpo.bench.format.BenchmarkFiles} checks a manifest and decodes the listed files in
 * parallel, straight into those buffers (no record objects, no boxing), resolving other writer
 * schemas such as spark-avro's nullable ones through Avro.
 */
package org.nashpo.bench.format;
