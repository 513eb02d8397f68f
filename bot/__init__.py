"""briefbot's I/O and wiring: everything that touches the outside world lives here.

``cli/`` (the `briefbot` command), ``config.py`` (the only reader of the environment), ``store/``
(the only package that touches SQLite), ``sources/`` (files, URLs and feeds through the reading
sandbox into the store), ``chat/`` (the framework-free command layer, its pages and renderers,
the console), ``telegram/`` (PTB wiring, handlers, jobs), ``digest/`` and ``follow/`` (scheduled
deliveries, exactly once). The text logic itself is summarizer/'s: bot/ reads, stores, asks
summarizer/ to decide and serves the result; nothing here registers itself on import. The
one thing importing ``bot`` does is below: numpy's BLAS keeps to one thread per process.
"""

import os as _os

# One BLAS thread per process, before numpy is first imported (OpenBLAS reads this once, when it
# loads). Our matrices are small, and OpenBLAS's extra threads busy-wait after every product:
# measured on two cores, they doubled the processor time of a story's views and stole the other
# core from the second view worker. The pools (readers, view workers) already use every core. A
# value the user set wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")
