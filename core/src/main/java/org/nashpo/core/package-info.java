/**
 * What nashpo's data is, independent of any engine: the search space, the HP grid, runs and their
 * keys. {@link org.nashpo.core.StableId} names things by content.
 */
package org.nashpo.core;
