#!/usr/bin/env bash
# Rebuilds the zoo artifact spikegpt-sst2 from the zoo's spikegpt-prose in three steps:
#  1. domain adaptation: the language model continues training on the text (no labels) of SST's
#     training sentences, lower-cased and tokenized as SST is, unlike the prose it learnt from;
#  2. teachers: five small word-level SpikeGPT classifiers trained on SST-2 with the reference
#     implementation (sst2_teachers.py; each word one token, which a model of this size learns
#     sentiment from better than from BPE pieces) and a bag-of-n-grams classifier
#     (ngram_teacher.py, which errs on other sentences); the average of the SpikeGPT teachers'
#     probabilities and the n-gram teacher's, half and half, labels the training sentences and
#     eight random word spans of each (61,520 texts);
#  3. the student, fine-tuned from (1) with a new classification head on those soft labels
#     (knowledge distillation) for two epochs, then continued at a third of the learning rate for
#     one more epoch, which the dev set preferred (79.24%, then 80.73%; two further epochs at that
#     rate gave 80.39% and 80.50%, so the recipe stops after one).
# Then it scores the test set (1,821 sentences) and packs the model with that accuracy in its
# metadata. Needs spikegpt-prose in the zoo (prose.sh) and Debian's python3-torch.
# Run from the repository's root: zoo-artifacts/recipes/sst2.sh
set -euo pipefail
SHARED=${SHARED:-../shared}
WORK=${WORK:-/tmp/spikegpt-zoo}
SST2="$SHARED/data/sst2"
mkdir -p "$WORK"

cut -d' ' -f2- "$SHARED/data/sst5/stsa.fine.train" > "$WORK/sst-train-text.txt"   # SST-2's sentences and the neutral ones
./spikegpt train-lm --base spikegpt-prose --corpus "$WORK/sst-train-text.txt" --out "$WORK/prose-sst" \
    --steps 200 --batch-size 8 --lr 4e-4 --lr-final 1e-5 --warmup 20 --seed 42 --eval-every 100

/usr/bin/python3 zoo-artifacts/recipes/sst2_teachers.py --shared "$SHARED" --tokens words --layers 4 \
    --seeds 1,2,3,4,5 --epochs 2 --eval-every 108 --token-dropout 0.2 --save "$WORK/sst2-teachers"
/usr/bin/python3 zoo-artifacts/recipes/sst2_teachers.py --shared "$SHARED" --tokens words --layers 4 \
    --spans 8 --teachers "$WORK/sst2-teachers" --ngram-weight 0.5 --write-targets "$WORK/sst2-soft.txt" --threads 2

distil() {  # BASE OUT EPOCHS LEARNING_RATE WARMUP SEED: fine-tuning on the soft labels
    ./spikegpt finetune-classifier --base "$1" --out "$2" --epochs "$3" --patience "$3" --lr "$4" --warmup "$5" \
        --seed "$6" --train "$WORK/sst2-soft.txt" --dev "$SST2/stsa.binary.dev" --labels negative,positive \
        --normalize ptb_lowercase --batch-size 32 --dropout 0.1 --half
}
distil "$WORK/prose-sst" "$WORK/sst2-student" 2 3e-4 50 42
distil "$WORK/sst2-student" "$WORK/sst2" 1 1e-4 20 43
./spikegpt eval-classifier --model "$WORK/sst2" --data "$SST2/stsa.binary.test" | tee "$WORK/sst2/test.txt"
accuracy=$(grep -o 'accuracy [0-9.]*%' "$WORK/sst2/test.txt" | head -1 | grep -o '[0-9.]*')
./spikegpt zoo-pack --model "$WORK/sst2" --artifact spikegpt-sst2 --property "sst2_test_accuracy=$accuracy" --force
