package org.nashpo.spark.construct;

import java.util.List;

/** Where a construct job reports how it is going (the CLI prints it on stderr). */
public interface Progress {

    /** Reports nothing. */
    Progress NONE = new Progress() {
        @Override
        public void planned(int runs, int alreadyDone, List<String> unreadable) {
        }

        @Override
        public void update(int done, int total, long diverged, long failed, double runsPerHour, double etaSeconds) {
        }
    };

    /** Once, before training: what the spec asks for, what is already there, what could not be read. */
    void planned(int runs, int alreadyDone, List<String> unreadable);

    /**
     * After each finished task.
     *
     * @param runsPerHour finished runs per hour of wall time so far
     * @param etaSeconds the predicted time of the runs left at the pace so far (runs weighed by their
     *     predicted time, longest first)
     */
    void update(int done, int total, long diverged, long failed, double runsPerHour, double etaSeconds);

    /** Anything else worth saying before training, e.g. whose lease of the output it is waiting on. */
    default void note(String message) {
    }
}
