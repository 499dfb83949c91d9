#!/usr/bin/env python3
"""d3lta 1.0.2 (VIGINUM) on a TSV of (mid, uid, text): its own pipeline after the embedding, timed alone.

Runs in the peers venv (d3lta pulls tensorflow and faiss). The Universal Sentence Encoder cannot be
downloaded here, so a stand-in embedding is passed through ``df_embeddings_use``: character 2-3-gram
hashing projected to 512 dimensions (USE's width); character grams rather than words so that Japanese,
written without spaces, gets a usable embedding; ``word`` 1-2-grams (as shared/peers/bench_d3lta.py) for
space-delimited synthetic text. Prints one JSON object; writes clusters.csv (mid,
cluster) to OUTDIR.

    peers-venv/bin/python bench/text_dupes_d3lta.py TEXTS.tsv OUTDIR [char|word]
"""

import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd
from d3lta.faissd3lta import prepare_dataset, semantic_faiss
from sklearn.feature_extraction.text import HashingVectorizer

src, outdir = sys.argv[1], sys.argv[2]
analyzer = sys.argv[3] if len(sys.argv) > 3 else "char"  # "word" for space-delimited synthetic text
os.makedirs(outdir, exist_ok=True)
df = pd.read_csv(
    src, sep="\t", header=None, names=["mid", "uid", "original"], quoting=3, dtype=str, keep_default_na=False
)
df.index = df.index.astype(str)
df["language"] = "en"
n_in = len(df)
t0 = time.perf_counter()
df = prepare_dataset(df, min_size_txt=30)
t_prep = time.perf_counter() - t0
ngrams = (2, 3) if analyzer == "char" else (1, 2)
hv = HashingVectorizer(
    analyzer=analyzer, ngram_range=ngrams, n_features=2**18, alternate_sign=False, norm="l2"
)
rng = np.random.default_rng(0)
R = rng.standard_normal((2**18, 512), dtype=np.float32) / np.sqrt(512)
emb = pd.DataFrame(
    np.asarray(hv.transform(df["text_to_embed"].tolist()) @ R, dtype=np.float32), index=df.index
)
t1 = time.perf_counter()
matches, clusters = semantic_faiss(
    df=df,
    min_size_txt=30,
    df_embeddings_use=emb,
    threshold_grapheme=0.693,
    threshold_language=0.715,
    threshold_semantic=0.85,
)
t_d3 = time.perf_counter() - t1
clusters[["mid", "cluster"]].dropna().to_csv(f"{outdir}/clusters.csv", index=False)
print(
    json.dumps(
        {
            "texts": n_in,
            "after_min_size": len(df),
            "seconds": round(t_prep + t_d3, 2),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
    )
)
