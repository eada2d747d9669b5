/**
 * The benchmark as its users consume it: opening a built benchmark, the query API with the original
 * API's semantics, the optimizers and the experiment runner. Depends on neither Spark nor DL4J, so
 * a benchmark can be queried from any JVM.
 */
package org.nashpo.bench;
