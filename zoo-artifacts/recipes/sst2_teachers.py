"""SST-2 classifiers on the reference implementation: the teachers of spikegpt-sst2, and pilots.

Fine-tunes ../shared/reference/spikegpt_ref.py's classifier (mean-pooled ln_out, then a Linear
head: the same head as the zoo's) on SST-2 and prints dev and test accuracy as it goes, with
either of two kinds of tokens:

  --tokens words   one id per whitespace-separated word of SST's (lower-cased, PTB-tokenized)
                   text; the vocabulary is the training file's words, anything else is <unk>;
  --tokens DIR     the ids in DIR/train.txt, DIR/dev.txt, DIR/test.txt, as written by
                   `spikegpt tokenize --model M --data FILE` (LABEL id id ...), e.g. GPT-2's first
                   8192 BPE tokens of spikegpt-prose; with --base M/model.safetensors the
                   network starts from that model's weights instead of a fresh initialisation.

Ensembles (the teachers): with --seeds 1,2,3,4,5 it trains one model per seed, keeps each one's
best-dev checkpoint (checked every --eval-every steps; --save DIR writes it as DIR/seed-N.pt) and
prints the accuracy of the average of the kept models' class probabilities after each seed;
--token-dropout P drops each training token with probability P (a fresh choice every batch).

Soft labels (for the student): --teachers DIR --write-targets FILE writes the training sentences
and --spans random word spans of each, with the average probabilities of the checkpoints in DIR,
as "P_NEG,P_POS TEXT" lines that `spikegpt finetune-classifier --train FILE` learns from;
--ngram-weight W mixes in ngram_teacher.py's bag-of-n-grams classifier with share W. It prints the
ensemble's dev and test accuracy first. Without --write-targets, a fresh model of this script
learns the labels (a pilot).

Run from the repository's root with Debian's python3-torch; zoo-artifacts/recipes/sst2.sh shows
the teachers' settings. The tokenization pilot of recipes/README.md:
  for s in train dev test; do ./spikegpt tokenize --model spikegpt-prose \
      --data ../shared/data/sst2/stsa.binary.$s > /tmp/sst2-bpe/$s.txt; done
  /usr/bin/python3 zoo-artifacts/recipes/sst2_teachers.py --tokens /tmp/sst2-bpe --layers 4
  /usr/bin/python3 zoo-artifacts/recipes/sst2_teachers.py --tokens words --layers 4
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
ap.add_argument('--seeds', default='1', help='one seed, or several (comma-separated) for an ensemble')
ap.add_argument('--eval-every', type=int, default=0, help='steps between dev checks (default: once an epoch)')
ap.add_argument('--token-dropout', type=float, default=0.0)
ap.add_argument('--teachers', help='directory of --save checkpoints (--tokens words): distil their ensemble')
ap.add_argument('--ngram-weight', type=float, default=0.0,
                help='with --teachers: the share of ngram_teacher.py\'s bag-of-n-grams classifier in the average')
ap.add_argument('--spans', type=int, default=3, help='with --teachers: word spans of each training sentence added')
ap.add_argument('--write-targets', help='with --teachers: write the sentences, spans and the teachers\' probabilities '
                'as "P_NEG,P_POS TEXT" lines (soft labels for spikegpt finetune-classifier) and stop')
ap.add_argument('--save', help='directory for each seed\'s best checkpoint (seed-N.pt)')
ap.add_argument('--threads', type=int, default=1)
a = ap.parse_args()
sys.path.insert(0, os.path.join(a.shared, 'reference'))
from spikegpt_ref import SpikeGPT, SpikeGPTConfig, load_safetensors  # noqa: E402

torch.set_num_threads(a.threads)
seeds = [int(seed) for seed in a.seeds.split(',')]
if a.teachers and a.tokens != 'words':
    ap.error('--teachers needs --tokens words: spans are cut from the words of the training file')


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
    train_words, dev_words, test_words = ([words for _, words in data] for data in (train, dev, test))
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


def new_model():
    model = SpikeGPT(SpikeGPTConfig(vocab_size, 256, a.layers, ctx_len=256, n_classes=2, dropout=a.dropout),
                     att_out_gain=5, ffn_value_gain=12)
    if weights is not None:
        model.load_state_dict(weights, strict=False)
    return model


def batch(examples, token_dropout=0.0):
    sequences = []
    for _, ids in examples:
        ids = ids[:256]
        if token_dropout > 0:
            ids = [i for i in ids if np.random.rand() >= token_dropout] or ids  # never an empty sentence
        sequences.append(ids)
    idx = torch.zeros(len(examples), max(len(ids) for ids in sequences), dtype=torch.long)
    mask = torch.zeros(idx.shape)
    for b, ids in enumerate(sequences):
        idx[b, :len(ids)] = torch.tensor(ids)
        mask[b, :len(ids)] = 1
    return idx, mask, torch.tensor([y for y, _ in examples])


def probabilities(model, data):
    """Class probabilities of each example, in batches of similar lengths (little padding)."""
    model.eval()
    order = sorted(range(len(data)), key=lambda i: len(data[i][1]))
    out = torch.empty(len(data), 2)
    with torch.no_grad():
        for i in range(0, len(order), 64):
            rows = order[i:i + 64]
            out[rows] = F.softmax(model.classify(*batch([data[j] for j in rows])[:2]), 1)
    model.train()
    return out


def accuracy(p, data):
    return 100.0 * (p.argmax(1) == torch.tensor([y for y, _ in data])).float().mean().item()


targets = None
if a.teachers:
    # The student learns the teachers' averaged probabilities, on the training sentences and on
    # random spans of them (phrases the teachers label, as SST's treebank labels its phrases).
    rng = np.random.RandomState(0)
    spans, span_words = [], []
    for (y, ids), words in zip(train, train_words):
        for _ in range(a.spans if len(ids) >= 4 else 0):
            length = rng.randint(2, len(ids))
            begin = rng.randint(0, len(ids) - length + 1)
            spans.append((y, ids[begin:begin + length]))
            span_words.append(words[begin:begin + length])
    if a.ngram_weight > 0:
        from ngram_teacher import NgramTeacher
        ngram = NgramTeacher(train_words, [y for y, _ in train])
    train = train + spans
    teachers = []
    for name in sorted(n for n in os.listdir(a.teachers) if n.endswith('.pt')):
        teachers.append(new_model())
        teachers[-1].load_state_dict(torch.load(os.path.join(a.teachers, name)))

    def ensemble(data, words):
        """The teachers' averaged probabilities: the SpikeGPT ones', then the n-gram teacher's share."""
        p = 0
        for teacher in teachers:
            p = p + probabilities(teacher, data) / len(teachers)
        return p if a.ngram_weight == 0 else (1 - a.ngram_weight) * p + a.ngram_weight * ngram.probabilities(words)

    for name, data, words in (('dev', dev, dev_words), ('test', test, test_words)):
        print(f'the teachers\' ensemble: {name} {accuracy(ensemble(data, words), data):.2f}%', flush=True)
    targets = ensemble(train, train_words + span_words)
    print(f'distilling {len(teachers)} SpikeGPT teachers{" and the n-gram teacher" if a.ngram_weight else ""} '
          f'on {len(train)} examples ({len(spans)} spans)', flush=True)
    if a.write_targets:
        with open(a.write_targets, 'w', encoding='utf-8') as f:
            for p, words in zip(targets.tolist(), train_words + span_words):
                f.write(f'{p[0]:.4f},{1 - round(p[0], 4):.4f} {" ".join(words)}\n')
        sys.exit(0)

print(f'{a.tokens}: vocabulary {vocab_size}, {np.mean([len(ids) for _, ids in train]):.1f} tokens a sentence, '
      f'L{a.layers} C256, {"from " + a.base if a.base else "fresh weights"}', flush=True)
ensemble_dev, ensemble_test = 0, 0
for n, seed in enumerate(seeds, 1):
    torch.manual_seed(seed)
    np.random.seed(seed)
    model = new_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=a.lr)
    every = a.eval_every or (len(train) + 31) // 32
    best, step, start = (-1.0, None, None), 0, time.time()
    for epoch in range(1, a.epochs + 1):
        order = np.random.permutation(len(train))
        for i in range(0, len(order), 32):
            idx, mask, y = batch([train[j] for j in order[i:i + 32]], a.token_dropout)
            logits = model.classify(idx, mask)
            if targets is None:
                loss = F.cross_entropy(logits, y)
            else:
                loss = -(targets[order[i:i + 32]] * F.log_softmax(logits, 1)).sum(1).mean()
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            if step % every == 0:
                dev_p, test_p = probabilities(model, dev), probabilities(model, test)
                print(f'seed {seed} epoch {epoch} step {step}: dev {accuracy(dev_p, dev):.2f}%  '
                      f'test {accuracy(test_p, test):.2f}%  ({time.time() - start:.0f} s)', flush=True)
                if accuracy(dev_p, dev) > best[0]:
                    best = (accuracy(dev_p, dev), dev_p, test_p)
                    if a.save:
                        os.makedirs(a.save, exist_ok=True)
                        torch.save(model.state_dict(), os.path.join(a.save, f'seed-{seed}.pt'))
    ensemble_dev, ensemble_test = ensemble_dev + best[1], ensemble_test + best[2]
    print(f'seed {seed} best: dev {best[0]:.2f}%  test {accuracy(best[2], test):.2f}%' + (
          f'  |  ensemble of {n}: dev {accuracy(ensemble_dev, dev):.2f}%  test {accuracy(ensemble_test, test):.2f}%'
          if n > 1 else ''), flush=True)
