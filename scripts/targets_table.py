#!/usr/bin/env python3
"""Table of the long-horizon targets (docs/training.md) from the outputs of
scripts/evaluate_targets.sh:  targets_table.py OUT H  ->  markdown on stdout, OUT/targets.json."""
import json
import os
import sys


def point(summary, label):
    for p in summary.get("horizon", {}).get("points", []):
        if p["label"] == label:
            return p
    return None


def rows_for(name, summary):
    """(target, measured, met) rows of one test set."""
    rows = []
    at = {label: point(summary, label) for label in ("H", "5H", "10H")}

    def add(label, text, value, ok, fmt="{:.4g}"):
        if value is None:
            rows.append((f"{name} {label}: {text}", "not measured (frame absent)", None))
        else:
            rows.append((f"{name} {label}: {text}", fmt.format(value), bool(ok)))

    h, h5, h10 = at["H"], at["5H"], at["10H"]
    if h:
        add("H", "median MAE <= 0.025", h["mae_median"], h["mae_median"] <= 0.025)
        add("H", "MAE / persistence <= 0.4", h["mae_ratio"], h["mae_ratio"] <= 0.4)
    if h5:
        add("5H", "MAE / persistence <= 0.6", h5["mae_ratio"], h5["mae_ratio"] <= 0.6)
        add("5H", "pixels in [-0.05, 1.05] >= 99.9 %", 100 * h5["inside_fraction_a"],
            h5["inside_fraction_a"] >= 0.999, "{:.3f} %")
        add("5H", "median |interface error| <= 5 %", 100 * h5["interface_error_median"],
            h5["interface_error_median"] <= 0.05, "{:.2f} %")
        add("5H", "|<f> / <f>_solver - 1| <= 10 %", 100 * h5["f_relative_difference"],
            abs(h5["f_relative_difference"]) <= 0.10, "{:+.2f} %")
    if h10:
        add("10H", "pixels outside [-0.2, 1.2] (all frames) = 0", h10["far_outside_count_a"],
            h10["far_outside_count_a"] == 0, "{:d}")
        add("10H", "MAE / persistence < 1", h10["mae_ratio"], h10["mae_ratio"] < 1)
        ratio = h10["near_grid_rms_ratio"]
        power = None if ratio is None else ratio * ratio
        add("10H", "near-grid power / solver's <= 10", power, power is not None and power <= 10)
        add("10H", "phi range", h10["phi_min_a"], True, "min {:.3f}")
        rows[-1] = (rows[-1][0], f"[{h10['phi_min_a']:.3f}, {h10['phi_max_a']:.3f}]", None)
    every = summary.get("phi_range")
    if every and "min_a" in every:  # over all frames and sequences, not only 10H's
        rows.append((f"{name} all frames: phi range", f"[{every['min_a']:.3f}, {every['max_a']:.3f}]", None))
    return rows


def main(out, horizon):
    rows = []
    for name in ("test64", "test128"):
        path = os.path.join(out, name, "summary.json")
        if os.path.exists(path):
            with open(path) as f:
                rows += rows_for("64²" if name == "test64" else "128²", json.load(f))
    phase = os.path.join(out, "phase", "summary.json")
    if os.path.exists(phase):
        with open(phase) as f:
            agreement = json.load(f).get("agreement_percent")
        if agreement is not None:
            rows.append((f"phase diagram 9 × 7 at 64², frame {5 * horizon}: agreement >= 95 %",
                         f"{agreement:.1f} %", agreement >= 95))
    print("| target | measured | met |")
    print("|---|---|---|")
    for target, value, ok in rows:
        print(f"| {target} | {value} | {'' if ok is None else ('yes' if ok else '**no**')} |")
    with open(os.path.join(out, "targets.json"), "w") as f:
        json.dump([{"target": t, "measured": v, "met": ok} for t, v, ok in rows], f, indent=2)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20)
