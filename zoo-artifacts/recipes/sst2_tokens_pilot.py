"""How much does the tokenization matter for SST-2? A pilot on the reference implementation.

Fine-tunes ../shared/reference/spikegpt_ref.py's classifier (mean-pooled ln_out, then a Linear
head: the same head as the zoo's) on SST-2 and prints dev and test accuracy after every epoch, with
either of two kinds of tokens:

  --tokens words   one id per whitespace-separated word of SST's (lower-cased, PTB-tokenized)
                   text; the vocabulary is the training file's words, anything else is <unk>;
  --tokens DIR     the ids in DIR/train.txt, DIR/dev.txt, DIR/test.txt, as written by
                   `spikegpt tokenize --model M --data FILE` (LABEL id id ...), e.g. GPT-2's first
                   8192 BPE tokens of spikegpt-prose; with --base M/model.safetensors the
                   network starts from that model's weights instead of a fresh initialisation.

Run from the repository's root with Debian's python3-torch, e.g.
  for s in train dev test; do ./spikegpt tokenize --model spikegpt-prose \
      --data ../shared/data/sst2/stsa.binary.$s > /tmp/sst2-bpe/$s.txt; done
  /usr/bin/python3 zoo-artifacts/recipes/sst2_tokens_pilot.py --tokens /tmp/sst2-bpe --layers 4
  /usr/bin/python3 zoo-artifacts/recipes/sst2_tokens_pilot.py --tokens words --layers 4
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument('--tokens', required=True, help='"words" or a directory of id files')
ap.add_argument('--shared', default=os.environ.get('SPIKEGPT_SHARED', '../shared'))
ap.add_argument('--base', help='safetensors weights to start from (id files only)')
ap.add_argument('--layers', type=int, default=4)
ap.add_argument('--epochs', type=int, default=3)
ap.add_argument('--lr', type=float, default=5e-4)
ap.add_argument('--dropout', type=float, default=0.1)
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--threads', type=int, default=1)
a = ap.parse_args()
sys.path.insert(0, os.path.join(a.shared, 'reference'))
from spikegpt_ref import SpikeGPT, SpikeGPTConfig, load_safetensors  # noqa: E402

torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
np.random.seed(a.seed)


def labelled(path):
    """(label, fields) per line, fields split at single spaces as the files are written."""
    with open(path, encoding='utf-8') as f:
        return [(int(label), text.split(' ')) for label, text in
                (line.rstrip('\n').split(' ', 1) for line in f if line.strip())]


if a.tokens == 'words':
    sst = os.path.join(a.shared, 'data', 'sst2', 'stsa.binary.')
    train, dev, test = (labelled(sst + s) for s in ('train', 'dev', 'test'))
    vocab = {'<pad>': 0, '<unk>': 1}
    for _, words in train:
        for w in words:
            vocab.setdefault(w, len(vocab))
    to_ids = lambda data: [(y, [vocab.get(w, 1) for w in words]) for y, words in data]  # noqa: E731
    train, dev, test = to_ids(train), to_ids(dev), to_ids(test)
    vocab_size = len(vocab)
else:
    train, dev, test = ([(y, [int(i) for i in ids]) for y, ids in labelled(os.path.join(a.tokens, s + '.txt'))]
                        for s in ('train', 'dev', 'test'))
    vocab_size = 1 + max(max(ids) for data in (train, dev, test) for _, ids in data)

weights = None
if a.base:
    weights = {k: v.float() for k, v in load_safetensors(a.base).items()}
    vocab_size = weights['emb.weight'].shape[0]
    a.layers = 1 + max(int(k.split('.')[1]) for k in weights if k.startswith('blocks.'))
model = SpikeGPT(SpikeGPTConfig(vocab_size, 256, a.layers, ctx_len=256, n_classes=2, dropout=a.dropout),
                 att_out_gain=5, ffn_value_gain=12)
if weights is not None:
    model.load_state_dict(weights, strict=False)
optimizer = torch.optim.Adam(model.parameters(), lr=a.lr)


def batch(examples):
    length = min(256, max(len(ids) for _, ids in examples))
    idx = torch.zeros(len(examples), length, dtype=torch.long)
    mask = torch.zeros(len(examples), length)
    for b, (_, ids) in enumerate(examples):
        ids = ids[:length]
        idx[b, :len(ids)] = torch.tensor(ids)
        mask[b, :len(ids)] = 1
    return idx, mask, torch.tensor([y for y, _ in examples])


def accuracy(data):
    model.eval()
    right = 0
    with torch.no_grad():
        for i in range(0, len(data), 64):
            idx, mask, y = batch(data[i:i + 64])
            right += (model.classify(idx, mask).argmax(1) == y).sum().item()
    model.train()
    return 100.0 * right / len(data)


print(f'{a.tokens}: vocabulary {vocab_size}, {np.mean([len(ids) for _, ids in train]):.1f} tokens a sentence, '
      f'L{a.layers} C256, {"from " + a.base if a.base else "fresh weights"}', flush=True)
start = time.time()
for epoch in range(1, a.epochs + 1):
    order = np.random.permutation(len(train))
    for i in range(0, len(order), 32):
        idx, mask, y = batch([train[j] for j in order[i:i + 32]])
        loss = F.cross_entropy(model.classify(idx, mask), y)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    print(f'epoch {epoch}: dev {accuracy(dev):.2f}%  test {accuracy(test):.2f}%  ({time.time() - start:.0f} s)',
          flush=True)
