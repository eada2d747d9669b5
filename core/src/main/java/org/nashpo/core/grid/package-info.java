/**
 * The training hyperparameter grid (learning rates, batch sizes, seeds) and the benchmark's
 * configuration index in exactly the original API's order (PROTOCOL.md §4).
 */
package org.nashpo.core.grid;
