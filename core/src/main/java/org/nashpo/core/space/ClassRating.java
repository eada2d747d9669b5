package org.nashpo.core.space;

/**
 * How a benchmark rates one cell's class at one learning rate and batch size: its 12-epoch test
 * accuracy (mean over seeds) and its 200-epoch prediction, each with its rank among all classes'
 * (1 = best; ties share the better rank).
 *
 * @param bench the benchmark's directory
 * @param classes how many classes were ranked
 */
public record ClassRating(String bench, double learningRate, int batchSize, double testAccuracy12, int rank12,
        double accuracy200, int rank200, int classes) {
}
