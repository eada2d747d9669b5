/**
 * A cell's network trained on ND4J's declarable ops (oneDNN on CPU, cuDNN on GPU) and, on the CPU, a
 * BatchNorm kernel of its own ({@link org.nashpo.worker.engine.BatchNormKernel}), with buffers allocated once
 * per batch size: {@link org.nashpo.worker.engine.CellEngine} compiles core's network
 * graph (its layers, in the network family of its shape) to kernels. docs/ENGINE.md says why and how
 * it measures; the golden step test holds it to PyTorch's training step in every family.
 */
package org.nashpo.worker.engine;
