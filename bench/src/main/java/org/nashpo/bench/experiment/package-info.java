/**
 * The paper's optimizer experiment (PROTOCOL.md §5) and its report: {@link
 * org.nashpo.bench.experiment.Experiment} runs every algorithm many times on one shared benchmark
 * in a thread pool and keeps each run's trajectory (the best-valid configuration over simulated
 * time); {@link org.nashpo.bench.experiment.Statistics} summarises, ranks and tests them; {@link
 * org.nashpo.bench.experiment.Report} writes the CSV files, the plots and one HTML page.
 */
package org.nashpo.bench.experiment;
