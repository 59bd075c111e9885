#!/usr/bin/env bash
# The paper's Table 4 with two recipes on each data set, after prose.sh's first stage ($WORK/prose)
# is adapted to its training text:
#  - plain: fine-tuned on its training examples' labels (sst2.sh before distillation);
#  - distilled: the zoo's method (sst2.sh), shortened to one epoch: the n-gram + VADER lexicon
#    teacher (ngram-baseline --lexicon) fitted on the training examples labels them and two random
#    word spans of each; the student learns those soft labels (SST-2's row is sst2.sh itself). Its
#    student starts from the language model adapted to SST's text for all three data sets: MR and
#    Subj are sentences of film reviews and plot summaries too, and one adaptation saves two.
# Each is scored on the data set's test set. MR and Subj have
# no split: split-data holds out 10% for testing (and 10% of the rest for dev) with seed 42. These
# models are not zoo artifacts; only their accuracies are reported.
# Run from the repository's root after prose.sh and sst2.sh (SST-2 and SST-5 reuse its adapted model): zoo-artifacts/recipes/table4.sh
set -euo pipefail
SHARED=${SHARED:-../shared}
WORK=${WORK:-/tmp/spikegpt-zoo}
T4="$WORK/table4"
mkdir -p "$T4"

# adapt NAME TRAIN: the language model continues on the training examples' text, as in sst2.sh
adapt() {
    cut -d' ' -f2- "$2" > "$T4/$1-text.txt"
    ./spikegpt train-lm --base "$WORK/prose" --corpus "$T4/$1-text.txt" --out "$T4/$1-lm" \
        --steps 200 --batch-size 8 --lr 4e-4 --lr-final 1e-5 --warmup 20 --seed 42 --eval-every 100
}

# finetune NAME BASE LABELS TRAIN DEV TEST: sst2.sh's settings, with 4 epochs of hard labels
finetune() {
    ./spikegpt finetune-classifier --base "$2" --labels "$3" --normalize ptb_lowercase \
        --train "$4" --dev "$5" --out "$T4/$1" \
        --epochs 4 --patience 2 --batch-size 32 --lr 3e-4 --warmup 50 --dropout 0.1 --seed 42
    ./spikegpt eval-classifier --model "$T4/$1" --data "$6" | tee "$T4/$1-test.txt"
}

# distil NAME BASE LABELS TRAIN DEV TEST: the teacher's soft labels, then one epoch of sst2.sh's student
distil() {
    ./spikegpt ngram-baseline --train "$4" --eval "$5" --l2 1e-3 \
        --lexicon "$WORK/npm/vader/package/vader_lexicon.txt" --spans 2 --seed 42 \
        --soft-labels "$T4/$1-soft.txt" --force
    ./spikegpt finetune-classifier --base "$2" --labels "$3" --normalize ptb_lowercase \
        --train "$T4/$1-soft.txt" --dev "$5" --out "$T4/$1-distilled" \
        --epochs 1 --patience 1 --batch-size 32 --lr 3e-4 --warmup 50 --dropout 0.1 --seed 42 --force
    ./spikegpt eval-classifier --model "$T4/$1-distilled" --data "$6" | tee "$T4/$1-distilled-test.txt"
}

SST2="$SHARED/data/sst2"
finetune sst2 "$WORK/prose-sst" negative,positive \
    "$SST2/stsa.binary.train" "$SST2/stsa.binary.dev" "$SST2/stsa.binary.test"

SST5="$SHARED/data/sst5"
finetune sst5 "$WORK/prose-sst" "very negative,negative,neutral,positive,very positive" \
    "$SST5/stsa.fine.train" "$SST5/stsa.fine.dev" "$SST5/stsa.fine.test"
distil sst5 "$WORK/prose-sst" "very negative,negative,neutral,positive,very positive" \
    "$SST5/stsa.fine.train" "$SST5/stsa.fine.dev" "$SST5/stsa.fine.test"

./spikegpt split-data --data "$SHARED/data/mr/rt-polarity.all" --charset ISO-8859-1 --out "$T4/mr-data" --seed 42
adapt mr "$T4/mr-data/train.txt"
finetune mr "$T4/mr-lm" negative,positive "$T4/mr-data/train.txt" "$T4/mr-data/dev.txt" "$T4/mr-data/test.txt"
distil mr "$WORK/prose-sst" negative,positive "$T4/mr-data/train.txt" "$T4/mr-data/dev.txt" "$T4/mr-data/test.txt"

./spikegpt split-data --data "$SHARED/data/subj/subj.all" --charset ISO-8859-1 --out "$T4/subj-data" --seed 42
adapt subj "$T4/subj-data/train.txt"
finetune subj "$T4/subj-lm" subjective,objective "$T4/subj-data/train.txt" "$T4/subj-data/dev.txt" "$T4/subj-data/test.txt"
distil subj "$WORK/prose-sst" subjective,objective "$T4/subj-data/train.txt" "$T4/subj-data/dev.txt" "$T4/subj-data/test.txt"

grep -H '^accuracy' "$T4"/*-test.txt
