/**
 * The weight-sharing supernet of the cell space: every edge of every cell holds all four operations,
 * and each step runs only the sampled architecture, as the standalone network of that cellcode built
 * from the shared parameter arrays (docs/ASNG-NAS.md).
 */
package org.nashpo.worker.supernet;
