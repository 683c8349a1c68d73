#!/usr/bin/env python3
"""Figures for csd results, drawn from the CSV/JSON files the commands write.

Usage (csd calls this itself unless --no-plots; see docs/figures.md):
  plots.py ensemble DIR    csd evaluate / compare  -> DIR/mae.png, DIR/interface_error.png
                           (paper Fig. 4b-c), DIR/descriptors.png (Fig. 5: f, 2w, rho,
                           I, D_b of prediction vs reference) and DIR/long_horizon.png
                           (MAE with persistence, |interface error|, f, near-grid rms;
                           dotted lines at H, 5H, 10H when summary.json has a horizon),
                           DIR/coarsening.png (S(k, t), L(t) with the fitted power laws,
                           Euler characteristic and domains, anisotropy; both sources)
  plots.py analyze DIR     csd analyze             -> DIR/descriptors.png, DIR/coarsening.png
  plots.py phase DIR       csd phasediagram        -> DIR/phase_diagram.png (Fig. 8a)
  plots.py loss FILE.csv   csd train history       -> loss.png next to FILE (Fig. 3a)

Solid lines are ensemble medians, shaded bands the inter-quartile range (IQR). Time is
in frames, t / tau. Needs numpy and matplotlib only (Agg backend, no display).
Exit status: 0 figures written, 2 bad usage or missing input, 3 matplotlib missing.
"""
import csv
import json
import math
import os
import sys

try:
    import numpy as np
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError as error:  # figures are optional: csd only warns
    print(f"plots.py: {error}; install numpy and matplotlib for figures", file=sys.stderr)
    sys.exit(3)

REFERENCE_COLOUR = "tab:blue"   # ground truth (solver), as in the paper
PREDICTION_COLOUR = "tab:red"   # surrogate or perturbed dynamics
CLASS_COLOURS = {"single": "tab:blue", "separated": "tab:orange", "diverged": "tab:gray"}


class UsageError(Exception):
    pass


def read_table(path):
    """CSV -> {column: numpy array}; numeric columns as float (nan for empty), others as str."""
    if not os.path.isfile(path):
        raise UsageError(f"missing {path}: run the csd command that writes it first")
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise UsageError(f"{path} has no rows")
    table = {}
    for name in rows[0]:
        cells = [row[name] for row in rows]
        try:
            table[name] = np.array([float(c) if c != "" else math.nan for c in cells])
        except ValueError:
            table[name] = np.array(cells, dtype=object)
    return table


def read_json(path):
    if not os.path.isfile(path):
        raise UsageError(f"missing {path}: run the csd command that writes it first")
    with open(path) as handle:
        return json.load(handle)


def band(ax, table, x, name, colour, label, scale=1.0, positive=False):
    """Median line and IQR band of quantity `name` (columns name_median/_q1/_q3).
    positive: drop values <= 0 (for a log axis)."""
    def column(stat):
        values = table[f"{name}_{stat}"] * scale
        return np.where(values > 0, values, np.nan) if positive else values
    ax.plot(x, column("median"), color=colour, lw=1.5, label=label)
    ax.fill_between(x, column("q1"), column("q3"), color=colour, alpha=0.25, lw=0)


def persistence_line(ax, table, x):
    """Median MAE of the 'nothing changes' prediction phi_B(0), the bar to beat."""
    if "mae_persistence_median" in table:
        ax.plot(x, table["mae_persistence_median"], color="grey", ls="--", lw=1,
                label=r"'nothing changes' $\langle|\varphi_B(t)-\varphi_B(0)|\rangle$")


def horizon_lines(ax, summary, x):
    """Dotted vertical lines at H, 5H, 10H (inside the plotted range) when summary.json
    names a horizon H (csd evaluate --horizon)."""
    horizon = (summary.get("horizon") or {}).get("frames", 0)
    for multiple in (1, 5, 10):
        frame = multiple * horizon
        if 0 < frame <= x[-1]:
            ax.axvline(frame, color="gray", ls=":", lw=1)
            ax.text(frame, 0.98, f" {multiple if multiple > 1 else ''}H", color="gray",
                    fontsize=7, va="top", transform=ax.get_xaxis_transform())


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
    print(f"plots.py: wrote {path}")


def plot_ensemble(directory):
    table = read_table(os.path.join(directory, "ensemble.csv"))
    summary = read_json(os.path.join(directory, "summary.json"))
    a_label = summary.get("prediction", {}).get("label", "prediction")
    b_label = summary.get("reference", {}).get("label", "reference")
    frames = table["frame"]
    count = summary.get("sequences", "?")

    for name, ylabel, scale, filename in [
        ("mae", r"MAE $\langle|\varphi_A-\varphi_B|\rangle$", 1.0, "mae.png"),
        ("interface_error", "relative interface-length error (%)", 100.0, "interface_error.png"),
    ]:
        fig, ax = plt.subplots(figsize=(5, 3.6))
        band(ax, table, frames, name, "black", f"median, IQR over {count} sequences", scale)
        if name == "mae":
            persistence_line(ax, table, frames)
        ax.set_xlabel(r"$t/\tau$")
        ax.set_ylabel(ylabel)
        ax.set_title(f"{a_label} vs {b_label}")
        ax.set_xlim(frames[0], frames[-1])
        ax.set_ylim(bottom=0)
        ax.legend(frameon=False)
        save(fig, os.path.join(directory, filename))

    panels = [
        ("f", r"$\langle f\rangle \approx 2\langle w\rangle + \langle\rho\rangle$"),
        ("interface_length", r"$2\langle w\rangle$"),
        ("rho", r"$\langle\rho\rangle$"),
        ("isotropy", "isotropy degree $I$"),
        ("fractal_dimension", "fractal dimension $D_b$"),
    ]
    fig, axes = plt.subplots(1, len(panels), figsize=(4 * len(panels), 3.4))
    for ax, (name, ylabel) in zip(axes, panels):
        band(ax, table, frames, f"{name}_b", REFERENCE_COLOUR, b_label)
        band(ax, table, frames, f"{name}_a", PREDICTION_COLOUR, a_label)
        ax.set_xlabel(r"$t/\tau$")
        ax.set_ylabel(ylabel)
        ax.set_xlim(frames[0], frames[-1])
    axes[0].legend(frameon=False)
    save(fig, os.path.join(directory, "descriptors.png"))
    plot_long_horizon(directory, table, summary, a_label, b_label)
    coarsening = summary.get("coarsening", {})
    plot_coarsening(directory, table, summary, [
        ("_b", "s_b", b_label, REFERENCE_COLOUR, "-", coarsening.get("reference", {})),
        ("_a", "s_a", a_label, PREDICTION_COLOUR, "--", coarsening.get("prediction", {}))])


def plot_long_horizon(directory, table, summary, a_label, b_label):
    """long_horizon.png: how the prediction degrades far beyond its training horizon."""
    if "near_grid_rms_a_median" not in table:
        print("plots.py: ensemble.csv has no near-grid columns (written by an older csd); "
              "long_horizon.png skipped", file=sys.stderr)
        return
    frames = table["frame"]
    fig, axes = plt.subplots(1, 4, figsize=(17, 3.6))
    band(axes[0], table, frames, "mae", "black", a_label)
    persistence_line(axes[0], table, frames)
    axes[0].set_ylabel(r"MAE $\langle|\varphi_A-\varphi_B|\rangle$")
    band(axes[1], table, frames, "interface_error", "black", "median, IQR", 100.0)
    axes[1].set_ylabel("|interface-length error| (%)")
    for ax in axes[:2]:
        ax.set_ylim(bottom=0)
    for ax, name, ylabel, positive in [
        (axes[2], "f", r"$\langle f\rangle$", False),
        (axes[3], "near_grid_rms", r"near-grid rms of $\varphi$ ($4\leq\lambda\leq 8$)", True),
    ]:
        band(ax, table, frames, f"{name}_b", REFERENCE_COLOUR, b_label, positive=positive)
        band(ax, table, frames, f"{name}_a", PREDICTION_COLOUR, a_label, positive=positive)
        ax.set_ylabel(ylabel)
    axes[3].set_yscale("log")
    for ax in axes:
        ax.set_xlabel(r"$t/\tau$")
        ax.set_xlim(frames[0], max(frames[-1], frames[0] + 1))
        horizon_lines(ax, summary, frames)
        ax.legend(frameon=False, fontsize=8)
    fig.suptitle(f"{a_label} vs {b_label}: medians and IQR over {summary.get('sequences', '?')} "
                 "sequences", fontsize=10)
    save(fig, os.path.join(directory, "long_horizon.png"))


def plot_analyze(directory):
    table = read_table(os.path.join(directory, "ensemble.csv"))
    summary = read_json(os.path.join(directory, "summary.json"))
    frames = table["frame"]
    panels = [
        ("f", r"$\langle f\rangle$"), ("w", r"$\langle w\rangle$"),
        ("rho", r"$\langle\rho\rangle$"), ("total", "$F$ (exact)"),
        ("interface_length", r"interface length $2\langle w\rangle$"),
        ("isotropy", "isotropy degree $I$"), ("fractal_dimension", "fractal dimension $D_b$"),
        ("mean_phi", r"$\langle\varphi\rangle$"),
    ]
    fig, axes = plt.subplots(2, 4, figsize=(15, 6.5))
    label = f"{summary.get('source', 'data')}: median, IQR of {summary.get('sequences', '?')}"
    for ax, (name, ylabel) in zip(axes.flat, panels):
        band(ax, table, frames, name, REFERENCE_COLOUR, label)
        ax.set_xlabel(r"$t/\tau$")
        ax.set_ylabel(ylabel)
        ax.set_xlim(frames[0], max(frames[-1], frames[0] + 1))
    axes.flat[0].legend(frameon=False, fontsize=8)
    fig.suptitle(os.path.basename(summary.get("input", directory)))
    save(fig, os.path.join(directory, "descriptors.png"))
    growth = summary.get("coarsening", {}).get("growth", {})
    plot_coarsening(directory, table, summary,
                    [("", "s", summary.get("source", "data"), REFERENCE_COLOUR, "-", growth)])


def exponent_label(label, growth):
    """'label: n = 0.25 [0.24, 0.26]' from a growth block of summary.json."""
    if growth.get("n") is None:
        return f"{label}: n not fitted"
    low, high = growth["interval"]
    return f"{label}: $n$ = {growth['n']:.3f} [{low:.3f}, {high:.3f}]"


def plot_coarsening(directory, table, summary, sources):
    """coarsening.png: S(k, t) at the frames of structure_factor.csv (log-log, darker =
    later), L(t) with the fitted power law over the fit window, Euler characteristic and
    domain count of phi > 1/2, and the <10>/<11> anisotropy of S. `sources`: (column
    suffix in ensemble.csv, S column, label, colour, line style, growth block)."""
    if "length_median" not in table and "length_a_median" not in table:
        print("plots.py: ensemble.csv has no coarsening columns (written by an older csd); "
              "coarsening.png skipped", file=sys.stderr)
        return
    structure = read_table(os.path.join(directory, "structure_factor.csv"))
    frames = table["frame"]
    fig, axes = plt.subplots(1, 4, figsize=(18, 3.8))
    chosen = sorted(set(structure["frame"]))
    shades = plt.cm.viridis(np.linspace(0.9, 0.0, max(len(chosen), 1)))
    for suffix, column, label, colour, style, growth in sources:
        for shade, frame in zip(shades, chosen):
            rows = (structure["frame"] == frame) & (structure[column] > 0)
            axes[0].loglog(structure["q"][rows], structure[column][rows], color=shade, ls=style,
                           lw=1, label=f"t/tau = {frame:g}" if suffix == sources[0][0] else None)
        band(axes[1], table, frames, f"length{suffix}", colour, exponent_label(label, growth),
             positive=True)
        fit = summary.get("coarsening", {}).get("fit", {})
        if growth.get("n") is not None and fit:
            t = np.linspace(fit["start_time"], fit["end_time"], 50)
            tau = summary.get("tau", 1.0) or 1.0
            axes[1].plot(t / tau, growth["prefactor"] * t ** growth["n"], color="black", ls=style,
                         lw=1)
        axes[2].plot(frames, table[f"euler{suffix}_median"], color=colour, ls=style,
                     label=f"{label}: Euler characteristic")
        axes[2].plot(frames, table[f"domains{suffix}_median"], color=colour, ls=":",
                     label=f"{label}: domains")
        band(axes[3], table, frames, f"anisotropy{suffix}", colour, label, positive=True)
    axes[0].set_xlabel("$q$ (1/grid unit)")
    axes[0].set_ylabel("circular average $S(q, t)$")
    axes[0].legend(frameon=False, fontsize=6, ncol=2)
    axes[1].set_xscale("log")
    axes[1].set_yscale("log")
    axes[1].set_ylabel(r"$L = 2\pi/k_1$ (median, IQR)")
    axes[2].set_ylabel(r"topology of $\varphi > 1/2$ (medians)")
    axes[3].set_ylabel(r"anisotropy $\bar S_{\langle 10\rangle}/\bar S_{\langle 11\rangle}$")
    axes[3].axhline(1.0, color="gray", lw=0.8, ls=":")
    for ax in axes[1:]:
        ax.set_xlabel(r"$t/\tau$")
        ax.legend(frameon=False, fontsize=7)
    positive = frames[frames > 0]
    if len(positive):
        axes[1].set_xlim(positive[0], max(positive[-1], positive[0] + 1))
    for ax in axes[2:]:
        ax.set_xlim(frames[0], max(frames[-1], frames[0] + 1))
        horizon_lines(ax, summary, frames)
    save(fig, os.path.join(directory, "coarsening.png"))


def plot_phase(directory):
    points = read_table(os.path.join(directory, "points.csv"))
    summary = read_json(os.path.join(directory, "summary.json"))
    has_solver = summary.get("has_solver", False)
    classes = points["solver_class"] if has_solver else points["surrogate_class"]
    phi, eta = points["mean_phi"], points["eta"] * 100.0

    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    line = summary.get("spinodal", {})
    if line.get("eta"):
        line_eta = np.array(line["eta"]) * 100.0
        ax.plot(line["phi_minus"], line_eta, color="black", lw=1.2, label="spinodal (Eq. 9)")
        ax.plot(line["phi_plus"], line_eta, color="black", lw=1.2)
    for name, colour in CLASS_COLOURS.items():
        chosen = np.array([c == name for c in classes])
        if chosen.any():
            who = "solver" if has_solver else "surrogate"
            ax.scatter(phi[chosen], eta[chosen], s=22, color=colour, label=f"{who}: {name}")
    if has_solver:
        wrong = points["agree"] == 0
        if wrong.any():
            ax.scatter(phi[wrong], eta[wrong], marker="x", s=60, color="black", lw=1.5,
                       label=f"misclassified ({int(wrong.sum())})")
        diverged = np.array([c == "diverged" for c in points["surrogate_class"]])
        if diverged.any():
            ax.scatter(phi[diverged], eta[diverged], marker="s", s=60, facecolors="none",
                       edgecolors="black", label=f"surrogate diverged ({int(diverged.sum())})")
        title = (f"surrogate vs solver at t = {summary.get('frame')} tau: "
                 f"{summary.get('agreement_percent', float('nan')):.1f} % agree")
    else:
        title = f"surrogate at t = {summary.get('frame')} tau"
    ax.set_xlabel(r"$\langle\varphi\rangle$")
    ax.set_ylabel(r"$\eta$ (%)")
    ax.set_xlim(0, 1)
    ax.set_title(title, fontsize=9)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    save(fig, os.path.join(directory, "phase_diagram.png"))


def find_column(table, *words):
    for name in table:
        if all(w in name.lower() for w in words):
            return name
    return None


def plot_loss(path):
    table = read_table(path)
    epoch = find_column(table, "epoch")
    train = find_column(table, "train")
    valid = find_column(table, "valid")
    if epoch is None or train is None:
        raise UsageError(f"{path} needs an epoch and a train-loss column")
    fig, ax = plt.subplots(figsize=(5, 3.6))
    ax.semilogy(table[epoch], table[train], color=REFERENCE_COLOUR, label="training")
    if valid is not None:
        ax.semilogy(table[epoch], table[valid], color=PREDICTION_COLOUR, label="validation")
        finite = np.isfinite(table[valid])
        if finite.any():
            best = np.nanargmin(np.where(finite, table[valid], np.inf))
            ax.axvline(table[epoch][best], color="gray", ls=":", lw=1, label="best validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss $L$")
    ax.legend(frameon=False)
    save(fig, os.path.join(os.path.dirname(os.path.abspath(path)), "loss.png"))


COMMANDS = {"ensemble": plot_ensemble, "analyze": plot_analyze, "phase": plot_phase,
            "loss": plot_loss}


def main(argv):
    if len(argv) != 3 or argv[1] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        COMMANDS[argv[1]](argv[2])
    except UsageError as error:
        print(f"plots.py: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
