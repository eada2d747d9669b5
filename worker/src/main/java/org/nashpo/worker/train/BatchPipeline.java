package org.nashpo.worker.train;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nashpo.core.network.NetworkShape;
import org.nashpo.worker.data.ImageSet;

/**
 * Assembles the next batch on a thread of its own while the caller computes on the current one,
 * as the original's data loader prepares batches beside the GPU. Two batch buffers alternate; a
 * batch's draws from the augmentation stream happen in batch order on one thread, so a seed gives
 * the same batches as assembling them in line.
 */
final class BatchPipeline implements AutoCloseable {

    /** Sees one batch: its image count, normalised NCHW features and labels (valid during the call only). */
    interface Consumer {
        /** @return false to stop the pass after this batch */
        boolean accept(int count, float[] features, int[] labels);
    }

    private final ExecutorService assembler = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nashpo-batches");
        t.setDaemon(true);
        return t;
    });
    private final float[][] features;
    private final int[][] labels;
    private final int batchSize;

    /** A pipeline of batches of {@code batchSize} images of a network's input. */
    BatchPipeline(int batchSize, NetworkShape shape) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size: must be ≥ 1, was " + batchSize);
        }
        this.batchSize = batchSize;
        int pixels = NetworkShape.IMAGE_CHANNELS * shape.inputSize() * shape.inputSize();
        features = new float[][] {new float[batchSize * pixels], new float[batchSize * pixels]};
        labels = new int[][] {new int[batchSize], new int[batchSize]};
    }

    /**
     * Feeds {@code images[order[0 … order.length)]} to {@code consumer} in batches of the pipeline's
     * size (the last one smaller), augmented with draws from {@code augment} (null: none).
     *
     * @return the batches the consumer saw
     */
    int run(ImageSet images, int[] order, SplittableRandom augment, Consumer consumer) {
        Objects.requireNonNull(images, "images");
        int batches = (order.length + batchSize - 1) / batchSize;
        if (batches == 0) {
            return 0;
        }
        Future<?> next = fill(images, order, 0, augment);
        for (int b = 0; b < batches; b++) {
            await(next);
            int current = b % 2;
            next = b + 1 < batches ? fill(images, order, b + 1, augment) : null;
            int count = Math.min(batchSize, order.length - b * batchSize);
            if (!consumer.accept(count, features[current], labels[current])) {
                if (next != null) {
                    await(next);
                }
                return b + 1;
            }
        }
        return batches;
    }

    private Future<?> fill(ImageSet images, int[] order, int batch, SplittableRandom augment) {
        int from = batch * batchSize;
        int count = Math.min(batchSize, order.length - from);
        int buffer = batch % 2;
        return assembler.submit(() -> images.fill(order, from, count, features[buffer], labels[buffer], augment));
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a batch was assembled", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("assembling a batch failed", e.getCause());
        }
    }

    @Override
    public void close() {
        assembler.shutdownNow();
    }
}
