package ai.spikegpt.training;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import ai.djl.util.RandomUtils;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Batches texts of similar length, so that padded batches carry little padding (about half the
 * compute of random batches on SST). With shuffling, each epoch shuffles the examples, sorts them
 * by length within pools of {@value #POOL} batches, and shuffles the order of the batches: every
 * example is seen once per epoch, in a different company each time. Without shuffling the batches
 * follow the length order (for evaluation). Randomness comes from DJL's {@code RandomUtils}, seeded
 * by {@code Engine.setRandomSeed}.
 */
public final class LengthBucketSampler implements Sampler {

    /**
     * Batches per sorting pool: large enough to group lengths, small enough to keep batches random.
     */
    static final int POOL = 50;

    private final int batchSize;
    private final boolean shuffle;

    /**
     * @param batchSize texts per batch
     * @param shuffle whether to shuffle (training) or keep the length order (evaluation)
     */
    public LengthBucketSampler(int batchSize, boolean shuffle) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
    }

    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        if (!(dataset instanceof LabeledTextDataset texts)) {
            throw new IllegalArgumentException(
                    "LengthBucketSampler batches a LabeledTextDataset, got "
                            + dataset.getClass().getSimpleName());
        }
        List<Long> order = new ArrayList<>();
        for (long i = 0; i < texts.size(); i++) {
            order.add(i);
        }
        Comparator<Long> byLength = Comparator.comparingInt(i -> texts.length(i));
        List<List<Long>> batches = new ArrayList<>();
        if (shuffle) {
            Collections.shuffle(order, RandomUtils.RANDOM);
            int pool = POOL * batchSize;
            for (int from = 0; from < order.size(); from += pool) {
                List<Long> part =
                        new ArrayList<>(order.subList(from, Math.min(order.size(), from + pool)));
                part.sort(byLength);
                cut(part, batches);
            }
            Collections.shuffle(batches, RandomUtils.RANDOM);
        } else {
            order.sort(byLength);
            cut(order, batches);
        }
        return batches.iterator();
    }

    private void cut(List<Long> sorted, List<List<Long>> batches) {
        for (int from = 0; from < sorted.size(); from += batchSize) {
            batches.add(
                    List.copyOf(sorted.subList(from, Math.min(sorted.size(), from + batchSize))));
        }
    }

    @Override
    public int getBatchSize() {
        return batchSize;
    }
}
