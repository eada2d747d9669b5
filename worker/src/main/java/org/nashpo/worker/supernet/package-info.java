/**
 * The weight-sharing supernet of a cell space: every edge of every cell holds every operation of the space,
 * and each step runs only the sampled architecture, as the standalone network of that cellcode built
 * from the shared parameter arrays (docs/ASNG-NAS.md).
 */
package org.nashpo.worker.supernet;
