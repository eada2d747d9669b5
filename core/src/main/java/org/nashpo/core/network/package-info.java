/**
 * The network around a cell as data: its family ({@link org.nashpo.core.network.NetworkFamily}: NAS-HPO-Bench-II's
 * or NAS-Bench-201's), its shape, the graph of its layers ({@link org.nashpo.core.network.NetworkGraph}, which the
 * worker's engine compiles) and its cost counted over that graph (docs/PROTOCOL.md §2, §7). Pure Java.
 */
package org.nashpo.core.network;
