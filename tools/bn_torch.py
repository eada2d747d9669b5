"""PyTorch's nn.BatchNorm2d per call, training forward and backward, on the BatchNorm shapes of the benchmark's
networks at width 16 (batch 64 and 256): the yardstick beside worker's JMH benchmark
org.nashpo.worker.engine.jmh.BatchNormDesigns (issue 26), printed in its units, ms per call, as JMH prints
AverageTime (mean of the measurement iterations, and half the width of a 99.9% interval as the error).

  /usr/bin/python3 tools/bn_torch.py [--threads 2] [--shape 64x16x32x32 ...] [--warmup 3] [--iterations 5]
                                     [--time 1.0]

Same as the JMH defaults: 2 threads, 3 warm-up and 5 measured iterations of 1 s each. The input is float32
with a mean and spread per channel as the Java side's (BatchNormArrays); forward is a call of the module in
training mode with x requiring grad (as in a training step: the batch statistics, the running statistics
updated, what backward needs saved); backward is torch.autograd.grad of that output for dy into x, weight and
bias (new tensors, so no .grad accumulation is timed). Needs PyTorch (Debian: apt-get install python3-torch;
run with /usr/bin/python3). Run on a quiet machine, in one sitting with the JMH benchmark."""
import argparse, math, statistics, time
import torch, torch.nn as nn

SHAPES = ["64x16x32x32", "64x64x8x8", "256x16x32x32", "256x64x8x8"]

# Student's t, 99.9% two-sided, for n - 1 degrees of freedom (JMH's error column)
T999 = {1: 636.619, 2: 31.599, 3: 12.924, 4: 8.610, 5: 6.869, 6: 5.959, 7: 5.408, 8: 5.041, 9: 4.781,
        10: 4.587, 15: 4.073, 20: 3.850, 30: 3.646}


def t999(df):
    if df < 1:
        return float("nan")
    return T999[max(k for k in T999 if k <= df)]


def iteration(call, seconds):
    """Calls until `seconds` have passed; ms per call."""
    n = 0
    start = time.perf_counter()
    while True:
        call()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed * 1e3 / n


def measure(call, warmup, iterations, seconds):
    for _ in range(warmup):
        iteration(call, seconds)
    scores = [iteration(call, seconds) for _ in range(iterations)]
    mean = statistics.fmean(scores)
    error = t999(len(scores) - 1) * statistics.stdev(scores) / math.sqrt(len(scores)) if len(scores) > 1 else float("nan")
    return mean, error, len(scores)


def inputs(shape, seed=26):
    n, c, h, w = shape
    g = torch.Generator().manual_seed(seed)
    centre = torch.rand(c, generator=g) * 2 - 1
    spread = 0.5 + 1.5 * torch.rand(c, generator=g)
    x = (torch.randn(n, c, h, w, generator=g) * spread.view(1, c, 1, 1) + centre.view(1, c, 1, 1)).contiguous()
    dy = torch.randn(n, c, h, w, generator=g)
    return x, dy


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--shape", action="append", help="NxCxHxW (repeatable); default: the four network shapes")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--time", type=float, default=1.0, help="seconds per iteration")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(26)
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads")
    rows = []
    for spec in a.shape or SHAPES:
        shape = tuple(int(d) for d in spec.split("x"))
        x, dy = inputs(shape)
        x.requires_grad_(True)
        bn = nn.BatchNorm2d(shape[1], eps=1e-5, momentum=0.1).train()

        def forward():
            return bn(x)

        y = forward()

        def backward():
            torch.autograd.grad(y, (x, bn.weight, bn.bias), dy, retain_graph=True)

        for name, call in (("backward", backward), ("forwardTraining", forward)):
            rows.append((name, spec, a.threads) + measure(call, a.warmup, a.iterations, a.time))
    print(f"{'Benchmark':<34} {'(design)':>9} {'(shape)':>13} {'(threads)':>10}  Mode  Cnt   Score    Error  Units")
    for name, spec, threads, mean, error, n in sorted(rows):
        print(f"{'bn_torch.' + name:<34} {'TORCH':>9} {spec:>13} {threads:>10}  avgt {n:>4} {mean:7.3f} ± {error:6.3f}  ms/op")


if __name__ == "__main__":
    main()
