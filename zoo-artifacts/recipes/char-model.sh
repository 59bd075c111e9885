#!/usr/bin/env bash
# Rebuilds the zoo artifact spikegpt-char: a character-level SpikeGPT (L6 C256 ctx256)
# trained on Tiny Shakespeare (first 90% training, last 10% validation), then the reference
# implementation trained with the same configuration, data and token budget as the yardstick.
# Run from the repository's root: zoo-artifacts/recipes/char-model.sh
set -euo pipefail
SHARED=${SHARED:-../shared}
WORK=${WORK:-/tmp/spikegpt-zoo}
STEPS=2000   # 2000 x 8 x 256 = 4.1 M tokens

./spikegpt train-lm --corpus "$SHARED/data/tinyshakespeare/input.txt" \
    --config zoo-artifacts/recipes/char-model.json --out "$WORK/char-model" \
    --steps $STEPS --batch-size 8 --lr 1e-3 --lr-final 1e-5 --warmup 100 --seed 42 \
    --eval-every 250 --eval-windows 200 --checkpoint-every 250
bpc=$(grep -o '"validationBpc": [0-9.]*' "$WORK/char-model/training/summary.json" | grep -o '[0-9.]*$')
./spikegpt zoo-pack --model "$WORK/char-model" --artifact spikegpt-char --property "val_bpc=$bpc" --force

# the yardstick (needs Debian's python3-torch); --threads 2 when the machine is otherwise idle
/usr/bin/python3 zoo-artifacts/recipes/reference_train_lm.py --shared "$SHARED" \
    --corpus "$SHARED/data/tinyshakespeare/input.txt" --config zoo-artifacts/recipes/char-model.json \
    --steps $STEPS --batch-size 8 --lr 1e-3 --lr-final 1e-5 --warmup 100 --seed 42 --eval-every 500 \
    --out "$WORK/char-model-reference"
