/**
 * The DL4J side of one run: the cell network of PROTOCOL.md §2 as a {@code ComputationGraph},
 * PyTorch's initialisation, SGD with Nesterov momentum and coupled weight decay exactly as
 * {@code torch.optim.SGD} computes it, the per-epoch cosine schedule, and the backend set-up.
 */
package org.nashpo.worker.nn;
