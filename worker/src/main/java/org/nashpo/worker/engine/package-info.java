/**
 * The benchmark network trained on ND4J's declarable ops (oneDNN on CPU, cuDNN on GPU) with buffers
 * allocated once per batch size: {@link org.nashpo.worker.engine.CellEngine}. docs/ENGINE.md says why
 * and how it measures; the golden step test holds it to PyTorch's training step.
 */
package org.nashpo.worker.engine;
