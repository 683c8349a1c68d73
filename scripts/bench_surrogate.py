#!/usr/bin/python3
"""Python PyTorch reference for bench/bench_surrogate.cpp: the same conv-GRU surrogate
(2 stacked ConvGRU cells, 24 hidden channels, 5x5 kernels, circular padding, 5x5 head +
tanh, 1x1 projection, phi + periodic 5-point Laplacian; 147 792 parameters), written the
way one naturally writes it in PyTorch (nn.Conv2d with padding_mode='circular', NCHW).

  rollout: ms per frame of a free rollout, batch 1, torch.inference_mode()
  train:   ms per (sample x frame) of one step: unroll F frames, MSE, backward, Adam

  /usr/bin/python3 scripts/bench_surrogate.py --mode rollout --size 256 --threads 2
  /usr/bin/python3 scripts/bench_surrogate.py            # all cases, one process

Prints CSV lines: impl,mode,size,batch,frames,threads,ms_per_frame,peak_rss_mib
(--variant channels_last runs the same model in NHWC layout, for comparison).
"""
import argparse
import resource
import statistics
import time

import torch
import torch.nn as nn


class ConvGRUCell(nn.Module):
    def __init__(self, in_channels, hidden, kernel):
        super().__init__()
        pad = kernel // 2
        self.hidden = hidden
        self.gates = nn.Conv2d(in_channels + hidden, 2 * hidden, kernel, padding=pad,
                               padding_mode="circular")
        self.candidate = nn.Conv2d(in_channels + hidden, hidden, kernel, padding=pad,
                                   padding_mode="circular")

    def forward(self, x, h):
        reset, update = torch.sigmoid(self.gates(torch.cat([x, h], 1))).chunk(2, 1)
        candidate = torch.tanh(self.candidate(torch.cat([x, reset * h], 1)))
        return (1 - update) * h + update * candidate


class Surrogate(nn.Module):
    def __init__(self, hidden=24, kernel=5, layers=2, eta_scale=100.0):
        super().__init__()
        self.hidden, self.eta_scale = hidden, eta_scale
        self.cells = nn.ModuleList(
            [ConvGRUCell(2 if i == 0 else hidden, hidden, kernel) for i in range(layers)])
        self.head = nn.Conv2d(hidden, hidden, kernel, padding=kernel // 2,
                              padding_mode="circular")
        self.project = nn.Conv2d(hidden, 1, 1, bias=False)

    def initial_state(self, batch, n, memory_format):
        return [torch.zeros(batch, self.hidden, n, n).contiguous(memory_format=memory_format)
                for _ in self.cells]

    def forward(self, phi, eta, state):
        x = torch.cat([phi, (eta * self.eta_scale).view(-1, 1, 1, 1).expand_as(phi)], 1)
        new_state = []
        for cell, h in zip(self.cells, state):
            x = cell(x, h)
            new_state.append(x)
        mu = self.project(torch.tanh(self.head(x)))
        laplacian = (mu.roll(1, -2) + mu.roll(-1, -2) + mu.roll(1, -1) + mu.roll(-1, -1)
                     - 4 * mu)
        return phi + laplacian, new_state


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bench_rollout(model, n, batch, frames, repeats, memory_format):
    times = []
    with torch.inference_mode():
        eta = torch.full((batch,), 0.005)
        for r in range(repeats + 1):
            torch.manual_seed(7)
            phi = 0.5 + 0.05 * torch.rand(batch, 1, n, n)
            state = model.initial_state(batch, n, memory_format)
            start = time.perf_counter()
            for _ in range(frames):
                phi, state = model(phi, eta, state)
            if r > 0:  # r = 0 warms up
                times.append(1e3 * (time.perf_counter() - start) / frames)
    return statistics.median(times)


def bench_train(model, n, batch, frames, repeats, memory_format):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    torch.manual_seed(8)
    target = torch.rand(batch, frames, n, n)
    phi0 = 0.5 + 0.05 * torch.rand(batch, 1, n, n)
    eta = torch.full((batch,), 0.005)
    times = []
    for r in range(repeats + 1):
        start = time.perf_counter()
        phi, state = phi0, model.initial_state(batch, n, memory_format)
        predictions = []
        for _ in range(frames):
            phi, state = model(phi, eta, state)
            predictions.append(phi)
        loss = (torch.cat(predictions, 1) - target).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if r > 0:
            times.append(1e3 * (time.perf_counter() - start) / (batch * frames))
    return statistics.median(times)


def run(mode, n, batch, frames, threads, repeats, variant):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    memory_format = torch.channels_last if variant == "channels_last" else torch.contiguous_format
    model = Surrogate().to(memory_format=memory_format)
    bench = bench_train if mode == "train" else bench_rollout
    ms = bench(model, n, batch, frames, repeats, memory_format)
    impl = "python" if variant == "plain" else "python-" + variant
    print(f"{impl},{mode},{n},{batch},{frames},{threads},{ms:.3f},{peak_rss_mib():.1f}",
          flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=["rollout", "train"])
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--batch", type=int, default=None)
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--variant", choices=["plain", "channels_last"], default="plain")
    parser.add_argument("--parameters", action="store_true", help="print the parameter count")
    args = parser.parse_args()
    if args.parameters:
        print(sum(p.numel() for p in Surrogate().parameters()))
        return
    print("impl,mode,size,batch,frames,threads,ms_per_frame,peak_rss_mib")
    if args.mode:
        batch = args.batch or (4 if args.mode == "train" else 1)
        run(args.mode, args.size, batch, args.frames, args.threads, args.repeats, args.variant)
        return
    for n in (128, 256, 512):
        run("rollout", n, 1, 3 if n >= 512 else 10, args.threads, 3, args.variant)
    for n in (64, 128):
        run("train", n, 4, 10, args.threads, 3, args.variant)


if __name__ == "__main__":
    main()
