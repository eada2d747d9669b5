/**
 * What every run sets up around the engine: the ND4J backend and its threads, the devices it sees, and the
 * protocol's per-epoch cosine schedule.
 */
package org.nashpo.worker.nn;
