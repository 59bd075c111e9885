"""Loads a Java export with the Python reference, strictly, and writes its logits: the round
trip check of CheckpointExportTest.

usage: /usr/bin/python3 reference_logits.py REFERENCE_DIR EXPORT.safetensors INPUTS.safetensors OUT.safetensors
INPUTS holds tokens [B, T] (and, for a classifier export, nlu_tokens / nlu_mask [B, T]).
OUT gets logits [B, T, V] from SpikeGPT.load(EXPORT) (load_state_dict(strict=True)), and, if
EXPORT.classifier.safetensors exists, nlu_logits from the merged language model + head.
"""
import json
import os
import sys

import torch

sys.path.insert(0, sys.argv[1])
import spikegpt_ref as R  # noqa: E402

export, inputs, out = sys.argv[2], sys.argv[3], sys.argv[4]
x = R.load_safetensors(inputs)
result = {}
with torch.no_grad():
    model = R.SpikeGPT.load(export).eval()     # strict=True inside
    result["logits"] = model(x["tokens"], wkv_impl="loop", lif_impl="autograd")
    head_file = export[: -len(".safetensors")] + ".classifier.safetensors"
    if os.path.exists(head_file):
        lm = R.load_safetensors(export)
        head, meta = R.load_safetensors(head_file, with_metadata=True)
        classifier = R.SpikeGPT(R.SpikeGPTConfig(**json.loads(meta["config"]))).eval()
        classifier.load_state_dict({**lm, **head}, strict=True)
        result["nlu_logits"] = classifier.classify(x["nlu_tokens"], x["nlu_mask"], wkv_impl="loop",
                                                   lif_impl="autograd")
R.save_safetensors(out, result)
print("ok", sorted(result))
