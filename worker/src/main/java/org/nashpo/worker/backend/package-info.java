/**
 * The ND4J backend every run trains on: its set-up before the first array (threads, the device a task
 * was assigned), the devices it sees with whether its native build runs on each, and its description for
 * provenance.
 */
package org.nashpo.worker.backend;
