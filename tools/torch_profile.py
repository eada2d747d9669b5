"""Where a PyTorch training step of a cell's network spends its time, by kind of layer, beside
`nashpo perf-train --profile` (same network, batch, width and threads; compare in one sitting on a quiet machine).

The network is tools/conformance/generate.py's (docs/PROTOCOL.md §2, NAS-HPO-Bench-II's family), at the width given.
It prints, per kind (convolution, BatchNorm, ReLU, pooling, sums, head, update), the self CPU time of PyTorch's
operators per training step and per inference batch, the steps' wall time without the profiler, and the operators
a step dispatches (top-level aten calls, forward and autograd's backward; the optimizer's own).

  /usr/bin/python3 tools/torch_profile.py [--cellcode 0|00|000] [--batch 64] [--width 16] [--threads 2] [--steps 10]
(Debian: apt-get install python3-torch.)
"""
import argparse
import collections
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'conformance'))
import generate  # noqa: E402

KINDS = ['convolution', 'BatchNorm', 'ReLU', 'pooling', 'sums', 'head (pool, dense, softmax, loss)', 'update (SGD)',
         'other']


def kind(name):
    n = name.lower()
    if 'conv' in n:
        return 'convolution'
    if 'batch_norm' in n:
        return 'BatchNorm'
    if 'relu' in n or 'threshold' in n or 'clamp_min' in n:
        return 'ReLU'
    if 'avg_pool' in n:
        return 'pooling'
    if n in ('aten::add', 'aten::add_'):
        return 'sums'
    if any(k in n for k in ('mean', 'linear', 'addmm', 'aten::mm', 'softmax', 'nll_loss', 'cross_entropy', 'aten::t',
                            'sum', 'expand', 'div')):
        return 'head (pool, dense, softmax, loss)'
    return 'other'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cellcode', default='0|00|000')
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--width', type=int, default=16)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--steps', type=int, default=10)
    ap.add_argument('--warmup', type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    generate.WIDTH = a.width
    net = generate.Network(generate.NHB2, generate.FAMILIES[generate.NHB2]['operations'], a.cellcode)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=5e-4)
    x = torch.rand(a.batch, 3, 32, 32)
    y = torch.arange(a.batch) % 10

    def step():
        opt.zero_grad(set_to_none=False)
        F.cross_entropy(net(x), y).backward()
        opt.step()

    def infer():
        with torch.no_grad():
            net(x)

    net.train()
    for _ in range(a.warmup):
        step()
    t = time.perf_counter()
    for _ in range(a.steps):
        step()
    train_ms = (time.perf_counter() - t) * 1e3 / a.steps
    net.eval()
    for _ in range(a.warmup):
        infer()
    t = time.perf_counter()
    for _ in range(a.steps):
        infer()
    infer_ms = (time.perf_counter() - t) * 1e3 / a.steps

    def profile(fn, train):
        net.train(train)
        times = collections.Counter()
        tops = 0
        update = 0.0
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
            for _ in range(a.steps):
                if train:
                    opt.zero_grad(set_to_none=False)
                    F.cross_entropy(net(x), y).backward()
                    u = time.perf_counter()
                    opt.step()
                    update += time.perf_counter() - u
                else:
                    fn()
        for e in prof.events():
            if 'Optimizer' in e.name or e.name.startswith('ProfilerStep'):
                continue
            times[kind(e.name)] += e.self_cpu_time_total / 1e3 / a.steps
            parent = e.cpu_parent
            if e.name.startswith('aten::') and (parent is None
                                                or parent.name.startswith('autograd::engine::evaluate_function')):
                tops += 1
        if train:
            times['update (SGD)'] = update * 1e3 / a.steps
        return times, tops / a.steps

    train_profile, train_ops = profile(step, True)
    infer_profile, infer_ops = profile(infer, False)
    print(f'network     {a.cellcode}, width {a.width}, batch {a.batch}, {a.threads} threads, torch {torch.__version__}')
    print(f"{'per step (ms)':36s} {'training':>10s} {'inference':>12s}")
    for k in KINDS:
        print(f'{k:36s} {train_profile[k]:10.2f} {infer_profile[k]:12.2f}')
    print(f"{'profiled total':36s} {sum(train_profile.values()):10.2f} {sum(infer_profile.values()):12.2f}")
    print(f"{'wall time, no profiler':36s} {train_ms:10.2f} {infer_ms:12.2f}")
    print(f'ops         training step: {train_ops:.0f} top-level aten calls (backward included); '
          f'inference batch: {infer_ops:.0f}')
    print(f'images/s    training {a.batch / train_ms * 1e3:.1f}, inference {a.batch / infer_ms * 1e3:.1f}')


if __name__ == '__main__':
    main()
