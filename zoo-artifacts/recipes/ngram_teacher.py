"""A bag-of-n-grams sentiment classifier: a teacher of spikegpt-sst2 unlike the SpikeGPT ones.

Logistic regression on binary features (the words and word pairs of a text, and the character
3- to 5-grams of its words with their spaces), each scaled by its naive-Bayes log-count ratio
r = log((p / |p|_1) / (q / |q|_1)), where p and q count each feature over the positive and the
negative training texts plus one: NBSVM's features (Wang and Manning 2012, "Baselines and
Bigrams: Simple, Good Sentiment and Topic Classification") with a logistic loss and an L2
penalty, fitted by L-BFGS from zero weights, so it has no seed. It sees every word, even one
the training set has not got, through its character n-grams, and it errs on other sentences
than a small SpikeGPT does, which is what makes it worth averaging with them.

Run from the repository's root with Debian's python3-torch to see its SST-2 accuracies:
  /usr/bin/python3 zoo-artifacts/recipes/ngram_teacher.py --l2 3e-4,1e-3,3e-3
"""
import argparse
import os

import torch
import torch.nn.functional as F


def ngrams(words):
    """The features of one text (a list of words): words, word pairs, character 3- to 5-grams."""
    features = set(words)
    features.update(' '.join(pair) for pair in zip(words, words[1:]))
    text = ' ' + ' '.join(words) + ' '
    for n in range(3, 6):
        features.update('#' + text[i:i + n] for i in range(len(text) - n + 1))
    return features


class NgramTeacher:
    """Fitted on training texts (lists of words) and their labels (0 negative, 1 positive)."""

    def __init__(self, texts, labels, l2=1e-3):
        self.index = {}
        for words in texts:
            for feature in ngrams(words):
                self.index.setdefault(feature, len(self.index))
        x = self._features(texts)
        y = torch.tensor(labels, dtype=torch.float32)
        counts = [1 + torch.sparse.mm(x.t(), (y == c).float().unsqueeze(1)).squeeze(1) for c in (1, 0)]
        p, q = (c / c.sum() for c in counts)
        self.ratio = torch.log(p / q)
        self.weight = torch.zeros(len(self.index), requires_grad=True)
        self.bias = torch.zeros(1, requires_grad=True)
        optimizer = torch.optim.LBFGS([self.weight, self.bias], max_iter=200, line_search_fn='strong_wolfe')

        def loss():
            optimizer.zero_grad()
            value = F.binary_cross_entropy_with_logits(self._logits(x), y) + l2 * (self.weight ** 2).sum()
            value.backward()
            return value
        optimizer.step(loss)

    def _features(self, texts):
        rows, cols = [], []
        for row, words in enumerate(texts):
            found = sorted({self.index[f] for f in ngrams(words) if f in self.index})
            rows += [row] * len(found)
            cols += found
        return torch.sparse_coo_tensor([rows, cols], torch.ones(len(rows)), (len(texts), len(self.index))).coalesce()

    def _logits(self, x):
        return torch.sparse.mm(x, (self.ratio * self.weight).unsqueeze(1)).squeeze(1) + self.bias

    def probabilities(self, texts):
        """(negative, positive) probabilities of each text, as a (len(texts), 2) tensor."""
        with torch.no_grad():
            positive = torch.sigmoid(self._logits(self._features(texts)))
        return torch.stack([1 - positive, positive], 1)


def sst2(shared, split):
    """(labels, texts) of SST-2's split, each text a list of words (SST's own tokenization)."""
    with open(os.path.join(shared, 'data', 'sst2', 'stsa.binary.' + split), encoding='utf-8') as f:
        pairs = [line.rstrip('\n').split(' ', 1) for line in f if line.strip()]
    return [int(label) for label, _ in pairs], [text.split(' ') for _, text in pairs]


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--shared', default=os.environ.get('SPIKEGPT_SHARED', '../shared'))
    ap.add_argument('--l2', default='1e-3', help='penalties to try, comma-separated')
    a = ap.parse_args()
    torch.set_num_threads(1)
    (train_y, train_x), dev, test = (sst2(a.shared, s) for s in ('train', 'dev', 'test'))
    for l2 in (float(v) for v in a.l2.split(',')):
        teacher = NgramTeacher(train_x, train_y, l2)
        accuracy = [100.0 * (teacher.probabilities(x).argmax(1) == torch.tensor(y)).float().mean().item()
                    for y, x in (dev, test)]
        print(f'l2 {l2:g}: {len(teacher.index):,} features, dev {accuracy[0]:.2f}%, test {accuracy[1]:.2f}%', flush=True)
