/**
 * What a training run is, independent of how it is trained: the protocol settings that change
 * results (and their id), and the run key readers de-duplicate by.
 */
package org.nashpo.core.run;
