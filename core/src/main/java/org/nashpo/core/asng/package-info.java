/**
 * ASNG, the adaptive stochastic natural gradient method over independent categorical distributions
 * (Akimoto et al., ICML 2019; PROTOCOL.md §6): one class, {@link org.nashpo.core.asng.Asng}, shared by
 * the black-box optimizer on the benchmark and the one-shot architecture search.
 */
package org.nashpo.core.asng;
