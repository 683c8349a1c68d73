#!/usr/bin/python3
"""Where does a surrogate's error at the horizon come from? (docs/training.md, "What the
misses need")

For each of the first S sequences, the solver is restarted from the surrogate's own
frame k (with the sequence's true η) and run to frame H; its MAE against the reference
at H says how much of the surrogate's error was already made by frame k.

  /usr/bin/python3 scripts/solver_from_model.py SURROGATE.h5 REFERENCE.h5 \
      [--frames 1 5] [--horizon 20] [--sequences 8]

SURROGATE.h5 is `csd evaluate`'s OUT/surrogate.h5 (or a `csd rollout` of the same
φ₀s), REFERENCE.h5 the solver dataset it was compared with. Uses $CSD_BIN (default
build/apps/csd).
"""
import argparse
import os
import subprocess
import tempfile

import h5py
import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("surrogate")
    ap.add_argument("reference")
    ap.add_argument("--frames", type=int, nargs="+", default=[1, 5])
    ap.add_argument("--horizon", type=int, default=20)
    ap.add_argument("--sequences", type=int, default=8)
    args = ap.parse_args()
    csd = os.environ.get("CSD_BIN", "build/apps/csd")
    with h5py.File(args.surrogate, "r") as s, h5py.File(args.reference, "r") as r:
        sur, ref, eta = s["phi"], r["phi"], r["eta"][:]
        count = min(args.sequences, sur.shape[0], ref.shape[0])
        if min(sur.shape[1], ref.shape[1]) <= args.horizon:
            raise SystemExit(f"error: both files need more than {args.horizon} frames")
        n = ref.shape[-1]
        own = np.median([np.abs(sur[i, args.horizon] - ref[i, args.horizon]).mean()
                         for i in range(count)])
        print(f"surrogate's own median MAE at frame {args.horizon}: {own:.4f} "
              f"({count} sequences)")
        with tempfile.TemporaryDirectory() as tmp:
            for k in args.frames:
                if not 0 < k < args.horizon:
                    raise SystemExit(f"error: --frames must lie in (0, {args.horizon})")
                init = os.path.join(tmp, f"init{k}.h5")
                with h5py.File(init, "w") as f:  # [S, 1, N, N]: one start field each
                    f["phi"] = sur[:count, k:k + 1].astype("float64")
                maes = []
                for i in range(count):
                    out = os.path.join(tmp, "solved.h5")
                    subprocess.run([csd, "generate", "-q", "--init", "file", "--init-from", init,
                                    "--init-index", str(i), "--eta", repr(float(eta[i])),
                                    "--frames", str(args.horizon - k + 1), "--sequences", "1",
                                    "--size", str(n), "--out", out, "--overwrite"], check=True)
                    with h5py.File(out, "r") as g:
                        maes.append(np.abs(g["phi"][0, -1] - ref[i, args.horizon]).mean())
                print(f"solver from the surrogate's frame {k}: median MAE at frame "
                      f"{args.horizon} {np.median(maes):.4f}")


if __name__ == "__main__":
    main()
