/**
 * Avro records of nashpo's files: one {@link org.nashpo.schema.TrainingRun} per training run, with its
 * key, network shape, data subset, per-epoch metrics, status and provenance. The classes are generated
 * from the schemas in {@code src/main/avro}; edit those, never the generated code. Files written by
 * every released version must stay readable, so fields are only ever added, each with a default, and
 * never removed, renamed or retyped. Each released version is archived by the test-scope tool
 * {@code ArchiveSchemaVersion}: its schema under {@code src/main/resources/org/nashpo/schema/archive},
 * where {@link org.nashpo.schema.TrainingRunVersions} lists it (readers accept a run file only if its
 * header carries exactly one of the listed schemas), and a sample data file under
 * {@code src/test/resources/archive}. {@code SchemaEvolutionTest} checks that the current classes read
 * every archived version and that the current schema is itself archived.
 */
package org.nashpo.schema;
