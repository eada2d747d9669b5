/**
 * One-shot ASNG-NAS (PROTOCOL.md §6, docs/ASNG-NAS.md): the search loop that alternates a weight
 * step on a train batch and an ASNG step on a valid batch, over any {@link org.nashpo.worker.nas.OneShotModel}
 * and its cell space — the engine's supernet in production, a synthetic model in tests.
 */
package org.nashpo.worker.nas;
