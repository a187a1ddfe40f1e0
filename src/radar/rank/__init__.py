"""The relevance model: learn the reader's interests from the store, score papers in [0, 1].

`train` (scikit-learn, imported only there) fits it; `Model` scores and explains without it.
"""
