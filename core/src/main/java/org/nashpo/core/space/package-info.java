/**
 * The cell search space of NAS-HPO-Bench-II: operations, cellcodes ({@code A|BC|DEF}), the canonical
 * identity of equivalent cells (PROTOCOL.md §1), and the analytic size and cost of the network built
 * from a cell (PROTOCOL.md §2). Pure Java: the planner and the cost model use it without DL4J.
 */
package org.nashpo.core.space;
