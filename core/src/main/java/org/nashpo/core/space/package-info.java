/**
 * Cell search spaces: the operations (each declared once in {@link org.nashpo.core.space.Op}), spaces of them in a
 * cellcode's digit order ({@code A|BC|DEF}; NAS-HPO-Bench-II's and NAS-Bench-201's, or any other), NAS-Bench-201's
 * architecture strings, and the canonical identity of equivalent cells (docs/PROTOCOL.md §1, §7). Pure Java: the
 * planner and the cost model use it without ND4J.
 */
package org.nashpo.core.space;
