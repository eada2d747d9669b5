"""Golden fixtures for nashpo's conformance test: one training step of a cell's network, computed by PyTorch.

The networks are written here from docs/PROTOCOL.md §2, at width 4 with 3 stages x 5 cells, in two families:
  nas-hpo-bench-2  NAS-HPO-Bench-II's (yoichii/nashpobench2): the stem, reduction and shortcut convolutions have a
                   bias, average pooling counts the padding (count_include_pad=True), a zero edge is
                   torch.zeros_like, so nothing behind a dead end receives a gradient;
  nas-bench-201    NAS-Bench-201's TinyNetwork (AutoDL-Projects xautodl/models/cell_infers/tiny_network.py,
                   cells.py, cell_operations.py): no convolution has a bias, average pooling excludes the padding
                   (count_include_pad=False), a zero edge is x.mul(0.), so the layers behind a dead end receive a
                   zero gradient (and SGD's weight decay and momentum move them).
A cell's operations: conv3x3 and conv1x1 (ReLU -> k x k convolution without bias -> BatchNorm), avgpool3x3, skip,
zero; a cellcode's digits index the case's operation list. Modules carry the names of the worker's layers
(stem_conv, s0c0_e01_conv, s0c0_e01_conv1x1, r1_bn_a, head_bn, output, ...) so that a fixture key names its layer.

For each case it writes NAME.npz, NAME being the cellcode with | as _, after a prefix naming the space when it is
not NAS-HPO-Bench-II's (its digits are the space's): nb201_2_34_142 (NAS-Bench-201's family and operations),
nhb2-conv1x1_4_02_214 (NAS-HPO-Bench-II's family and operations, then conv1x1). Its arrays concatenate tensors in
the order meta.tensors gives (name, shape; parameters first, in the network's order, then the BN running
statistics):
  init_q, init_scale          the initial parameters as int8 levels q and one float32 scale per parameter tensor:
                              value = float32(scale * q), exact in any precision. The draws are PyTorch's defaults
                              quantised to 255 levels (to fit the size budget); BN weight/bias are perturbed from
                              1/0 so that every term of the step is non-zero
  init_statistics             the BN running statistics before training (float32; mean 0, var 1)
  logits, loss                the training-mode forward of batch.npz's images at init
  grad                        every parameter's gradient of the mean cross-entropy (zero where none reaches it:
                              meta.noGradient names the parameters without one; in nas-bench-201 it is empty, its
                              zero edge passing a zero gradient)
  change                      how far every parameter and BN running statistic moved in two steps of
                              torch.optim.SGD (momentum 0.9, nesterov, weight_decay 5e-4) on the same batch, lrs
                              meta.lrs: after - init, stored as a difference so float32 keeps its precision
  loss2                       the loss of the second step's forward
  eval_logits                 an evaluation-mode forward of the batch after the two steps
  meta                        JSON (uint8): cellcode, shape, hyperparameters, tensors, versions, float32Error, and
                              the family and operations (spec names, in digit order) unless they are
                              NAS-HPO-Bench-II's (the first fixtures' meta has neither)
and batch.npz: input (float32 [8, 3, 32, 32], augmented as PROTOCOL.md §3 and normalised) and labels (int64).
Everything is computed in float64 and stored as float32, so the fixtures are the exact answer to float32 storage
precision. The same step run by PyTorch in float32 is measured against it (meta.float32Error, per quantity, in the
measure of docs/CONFORMANCE.md): a float32 engine cannot be asked to come closer than PyTorch itself does. That
distance depends on the CPU's kernels, the float64 answer does not: regenerated on another machine, a fixture's
arrays are the same bit for bit and only meta.float32Error moves.

Run by hand where PyTorch is installed (Debian: apt-get install python3-torch):
  /usr/bin/python3 tools/conformance/generate.py --cifar DIR_WITH_data_batch_1.bin \
      --out worker/src/test/resources/org/nashpo/worker/golden [--family nas-bench-201] [--only NAME ...]
--family writes the cases of one family (repeat it for more), --only the named fixtures; batch.npz is always
written. Every case keeps its seed (its place in CASES), so a fixture regenerates with the same contents.
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NHB2, NB201 = 'nas-hpo-bench-2', 'nas-bench-201'
FAMILIES = {
    # short name, skeleton convolutions' bias, avg pooling's count_include_pad, the zero edge, its own operations
    NHB2: dict(short='nhb2', bias=True, count_include_pad=True, zero='zeros_like',
               operations=['conv3x3', 'avgpool3x3', 'skip', 'zero']),
    NB201: dict(short='nb201', bias=False, count_include_pad=False, zero='mul',
                operations=['zero', 'skip', 'conv1x1', 'conv3x3', 'avgpool3x3']),
}
# an operation's layers: ReLU -> conv k x k -> BN, k x k average pooling, identity, zeros
KINDS = {'conv3x3': ('conv', 3), 'conv1x1': ('conv', 1), 'avgpool3x3': ('pool', 3), 'skip': ('skip', 0),
         'zero': ('zero', 0)}
# (family, operations, cellcode); a case's seed is its index here, so cases are only ever appended
CASES = [
    (NHB2, FAMILIES[NHB2]['operations'], '0|00|000'),  # all-conv
    (NHB2, FAMILIES[NHB2]['operations'], '0|10|210'),  # mixed
    (NHB2, FAMILIES[NHB2]['operations'], '2|12|221'),  # avg-pool and skip edges only, two skips from one tensor
    (NHB2, FAMILIES[NHB2]['operations'], '0|13|232'),  # a dead end (node 1 feeds nothing)
    (NHB2, FAMILIES[NHB2]['operations'], '3|33|333'),  # zero
    # 1x1 and 3x3 convs from one node (one ReLU), avg pools excluding the padding, a skip to the output
    (NB201, FAMILIES[NB201]['operations'], '2|34|142'),
    # a dead end: node 1 (a 1x1 conv) feeds only zero edges, which pass it a zero gradient
    (NB201, FAMILIES[NB201]['operations'], '2|10|401'),
    # NAS-HPO-Bench-II's network and space, extended by conv1x1 (digit 4): 1x1 and 3x3 convs from one node
    (NHB2, FAMILIES[NHB2]['operations'] + ['conv1x1'], '4|02|214'),
]
WIDTH, CELLS, STAGES = 4, 5, 3
BATCH = 8
LRS = (0.1, 0.05)  # the cosine schedule's first two epochs at lr 0.1, T = 2
MOMENTUM, WEIGHT_DECAY = 0.9, 5e-4
BN_EPS, BN_MOMENTUM = 1e-5, 0.1
MEAN = np.array([125.3, 123.0, 113.9]) / 255
STD = np.array([63.0, 62.1, 66.7]) / 255
EDGES = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]


def fixture_name(family, operations, cellcode):
    """NAME of NAME.npz: the cellcode, after a prefix naming the space unless it is NAS-HPO-Bench-II's."""
    digits = cellcode.replace('|', '_')
    own = FAMILIES[family]['operations']
    if family == NHB2 and operations == own:
        return digits  # the first fixtures' names
    prefix = FAMILIES[family]['short']
    if operations != own:
        extra = operations[len(own):] if operations[:len(own)] == own else operations
        prefix += '-' + '-'.join(extra)
    return prefix + '_' + digits


def layer_suffix(k):
    """conv3x3's layers are <edge>_conv and _bn, conv1x1's <edge>_conv1x1 and _bn1x1 (the worker's names)"""
    return '' if k == 3 else f'{k}x{k}'


class Network(nn.Module):
    def __init__(self, family, operations, cellcode):
        super().__init__()
        self.family = FAMILIES[family]
        self.ops = [KINDS[operations[int(c)]] for c in cellcode.replace('|', '')]
        self.m = nn.ModuleDict()
        widths = [WIDTH * 2 ** s for s in range(STAGES)]
        bias = self.family['bias']
        self.conv('stem_conv', 3, widths[0], 3, 1, 1, bias)
        self.bn('stem_bn', widths[0])
        for s in range(STAGES):
            if s > 0:
                r, cin, cout = f'r{s}', widths[s - 1], widths[s]
                self.conv(r + '_conv_a', cin, cout, 3, 2, 1, bias)
                self.bn(r + '_bn_a', cout)
                self.conv(r + '_conv_b', cout, cout, 3, 1, 1, bias)
                self.bn(r + '_bn_b', cout)
                self.conv(r + '_shortcut', cin, cout, 1, 1, 0, bias)
            for c in range(CELLS):
                for (i, j), (kind, k) in zip(EDGES, self.ops):
                    if kind == 'conv':
                        self.conv(f's{s}c{c}_e{i}{j}_conv{layer_suffix(k)}', widths[s], widths[s], k, 1, k // 2, False)
                        self.bn(f's{s}c{c}_e{i}{j}_bn{layer_suffix(k)}', widths[s])
        self.bn('head_bn', widths[-1])
        self.m['output'] = nn.Linear(widths[-1], 10)

    def conv(self, name, cin, cout, k, stride, pad, bias):
        self.m[name] = nn.Conv2d(cin, cout, k, stride=stride, padding=pad, bias=bias)

    def bn(self, name, c):
        self.m[name] = nn.BatchNorm2d(c, eps=BN_EPS, momentum=BN_MOMENTUM)

    def cell(self, name, x):
        nodes = [x]
        for j in range(1, 4):
            terms = []
            for (i, t), (kind, k) in zip(EDGES, self.ops):
                if t != j:
                    continue
                h = nodes[i]
                if kind == 'conv':
                    edge = f'{name}_e{i}{j}'
                    terms.append(self.m[f'{edge}_bn{layer_suffix(k)}'](self.m[f'{edge}_conv{layer_suffix(k)}'](F.relu(h))))
                elif kind == 'pool':
                    terms.append(F.avg_pool2d(h, k, stride=1, padding=k // 2,
                                              count_include_pad=self.family['count_include_pad']))
                elif kind == 'skip':
                    terms.append(h)
                elif self.family['zero'] == 'mul':
                    terms.append(h.mul(0.))
                else:
                    terms.append(torch.zeros_like(h))
            total = terms[0]
            for t in terms[1:]:
                total = total + t
            nodes.append(total)
        return nodes[3]

    def forward(self, x):
        m = self.m
        x = m['stem_bn'](m['stem_conv'](x))
        for s in range(STAGES):
            if s > 0:
                r = f'r{s}'
                a = m[r + '_bn_a'](m[r + '_conv_a'](F.relu(x)))
                b = m[r + '_bn_b'](m[r + '_conv_b'](F.relu(a)))
                x = b + m[r + '_shortcut'](F.avg_pool2d(x, 2, stride=2))
            for c in range(CELLS):
                x = self.cell(f's{s}c{c}', x)
        x = F.relu(m['head_bn'](x)).mean(dim=(2, 3))
        return m['output'](x)


def quantise(t):
    """float tensor -> (its int8-quantised values as float64, the int8 levels, the float32 scale)"""
    t = t.detach().to(torch.float32)
    scale = np.float32(t.abs().max().item() / 127) if t.abs().max().item() > 0 else np.float32(1)
    q = torch.round(t / float(scale)).clamp(-127, 127).to(torch.int8)
    value = q.to(torch.float32) * torch.tensor(scale, dtype=torch.float32)  # one float32 product, as a reader does
    return value.to(torch.float64), q.numpy().copy(), float(scale)


def batch(cifar_dir):
    raw = np.fromfile(os.path.join(cifar_dir, 'data_batch_1.bin'), dtype=np.uint8).reshape(-1, 3073)[:BATCH]
    labels = raw[:, 0].astype(np.int64)
    images = raw[:, 1:].reshape(BATCH, 3, 32, 32).astype(np.float64) / 255
    rng = np.random.default_rng(222)
    out = np.empty_like(images)
    for n in range(BATCH):
        padded = np.zeros((3, 40, 40))
        padded[:, 4:36, 4:36] = images[n]  # black padding before normalisation, as RandomCrop(32, padding=4)
        dy, dx = rng.integers(0, 9, size=2)
        crop = padded[:, dy:dy + 32, dx:dx + 32]
        if rng.random() < 0.5:
            crop = crop[:, :, ::-1]
        out[n] = (crop - MEAN[:, None, None]) / STD[:, None, None]
    return out.astype(np.float32), labels


def run(case, init, x, y, dtype):
    """Forward, backward and two SGD steps in dtype from the given initial state; returns every quantity."""
    net = Network(*case).to(dtype)
    net.load_state_dict({k: v.to(dtype) for k, v in init.items()})
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=LRS[0], momentum=MOMENTUM, nesterov=True, weight_decay=WEIGHT_DECAY)
    xt = torch.from_numpy(x).to(dtype)
    yt = torch.from_numpy(y)
    out = {}
    for step, lr in enumerate(LRS):
        for g in opt.param_groups:
            g['lr'] = lr
        opt.zero_grad(set_to_none=True)
        logits = net(xt)
        loss = F.cross_entropy(logits, yt)
        loss.backward()
        if step == 0:
            out['logits'] = logits.detach().clone()
            out['loss'] = loss.detach().clone()
            out['grad'] = {n: p.grad.detach().clone() for n, p in named_parameters(net) if p.grad is not None}
        else:
            out['loss2'] = loss.detach().clone()
        opt.step()
    out['after'] = {k: v.detach().clone() for k, v in net.state_dict().items() if not k.endswith('num_batches_tracked')}
    net.eval()
    with torch.no_grad():
        out['eval_logits'] = net(xt)
    return out


def named_parameters(net):
    return [(n[len('m.'):], p) for n, p in net.named_parameters()]


def initial_state(case, seed):
    torch.manual_seed(seed)
    net = Network(*case)
    gen = torch.Generator().manual_seed(seed + 1)
    state, stored, scales = {}, {}, {}
    for name, t in net.state_dict().items():
        key = name[len('m.'):]
        if name.endswith('num_batches_tracked'):
            state[name] = t
            continue
        if '_bn' in key and key.endswith('.weight'):
            t = 1 + 0.2 * (torch.rand(t.shape, generator=gen, dtype=torch.float32) - 0.5)
        elif '_bn' in key and key.endswith('.bias'):
            t = 0.2 * (torch.rand(t.shape, generator=gen, dtype=torch.float32) - 0.5)
        if key.endswith('running_mean') or key.endswith('running_var'):
            state[name] = t.to(torch.float64)
            stored[key] = t.to(torch.float32).numpy()
        else:
            state[name], stored[key], scales[key] = quantise(t)
    return state, stored, scales


def layer(name):
    return name.split('.')[0]


def group_error(actual, exact, init=None, per_layer=False):
    """The conformance measure (docs/CONFORMANCE.md) of one quantity: over its tensors, max |a - b| / s, s the largest
    max |b| of the tensor's layer (per_layer: gradients and parameter changes, where a bias before BatchNorm has no
    gradient in exact arithmetic) or of the tensor itself; with init, a and b are changes from it."""
    if init is not None:
        actual = {k: actual[k].to(torch.float64) - init[k] for k in exact}
        exact = {k: exact[k] - init[k] for k in exact}
    scales = {}
    for k, b in exact.items():
        group = layer(k) if per_layer else k
        scales[group] = max(scales.get(group, 0.0), b.abs().max().item())
    worst = 0.0
    for k, b in exact.items():
        difference = (actual[k].to(torch.float64) - b).abs().max().item()
        scale = scales[layer(k) if per_layer else k]
        worst = max(worst, difference / scale if scale > 0 else (0.0 if difference == 0 else float('inf')))
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--cifar', required=True, help='a directory holding the official data_batch_1.bin')
    parser.add_argument('--out', required=True)
    parser.add_argument('--family', action='append', choices=sorted(FAMILIES),
                        help='write the cases of this network family (repeatable; default: every family)')
    parser.add_argument('--only', nargs='+', metavar='NAME', help='write only these fixtures (e.g. nb201_2_34_142)')
    args = parser.parse_args()
    names = [fixture_name(*case) for case in CASES]
    unknown = sorted(set(args.only or []) - set(names))
    if unknown:
        parser.error(f'--only: no case is named {", ".join(unknown)}; the cases are {", ".join(names)}')
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    x, y = batch(args.cifar)
    np.savez_compressed(os.path.join(args.out, 'batch.npz'), input=x, labels=y)
    total = os.path.getsize(os.path.join(args.out, 'batch.npz'))
    for index, case in enumerate(CASES):
        family, operations, cellcode = case
        name = names[index]
        if (args.family and family not in args.family) or (args.only and name not in args.only):
            continue
        init, stored, scales = initial_state(case, 1000 + index)
        exact = run(case, init, x, y, torch.float64)
        single = run(case, init, x, y, torch.float32)
        params = [n for n, _ in named_parameters(Network(*case))]
        no_grad = [n for n in params if n not in exact['grad']]
        statistics_keys = [k for k in stored if 'running' in k]
        tensors = [{'name': k, 'shape': list(stored[k].shape)} for k in params + statistics_keys]
        arrays = {
            'init_q': np.concatenate([stored[k].ravel() for k in params]),
            'init_scale': np.array([scales[k] for k in params], dtype=np.float32),
            'init_statistics': np.concatenate([stored[k].ravel() for k in statistics_keys]).astype(np.float32),
            'logits': exact['logits'].to(torch.float32).numpy(),
            'loss': exact['loss'].numpy(),
            'loss2': exact['loss2'].numpy(),
            'grad': np.concatenate([(exact['grad'][k] if k in exact['grad'] else torch.zeros(stored[k].shape))
                                    .to(torch.float32).numpy().ravel() for k in params]),
        }
        after = {k[len('m.'):]: v for k, v in exact['after'].items()}
        start = {k[len('m.'):]: v for k, v in init.items() if not k.endswith('num_batches_tracked')}
        arrays['change'] = np.concatenate([(after[k] - start[k]).to(torch.float32).numpy().ravel()
                                           for k in params + statistics_keys])
        arrays['eval_logits'] = exact['eval_logits'].to(torch.float32).numpy()
        single_after = {k[len('m.'):]: v for k, v in single['after'].items()}
        statistics = statistics_keys
        parameters_after = params
        float32_error = {
            'logits': group_error({'logits': single['logits']}, {'logits': exact['logits']}),
            'loss': abs(single['loss'].item() - exact['loss'].item()) / abs(exact['loss'].item()),
            'loss2': abs(single['loss2'].item() - exact['loss2'].item()) / abs(exact['loss2'].item()),
            'grad': group_error(single['grad'], exact['grad'], per_layer=True) if exact['grad'] else 0.0,
            'change': group_error({k: single_after[k] for k in parameters_after},
                                 {k: after[k] for k in parameters_after}, start, per_layer=True),
            'running': group_error({k: single_after[k] for k in statistics}, {k: after[k] for k in statistics}, start),
            'eval_logits': group_error({'e': single['eval_logits']}, {'e': exact['eval_logits']}),
        }
        meta = {'cellcode': cellcode, 'width': WIDTH, 'cellsPerStage': CELLS, 'stages': STAGES, 'batch': BATCH,
                'lrs': list(LRS), 'momentum': MOMENTUM, 'nesterov': True, 'weightDecay': WEIGHT_DECAY,
                'bnEps': BN_EPS, 'bnMomentum': BN_MOMENTUM, 'tensors': tensors, 'parameters': len(params),
                'noGradient': no_grad, 'float32Error': float32_error,
                'torch': torch.__version__, 'numpy': np.__version__, 'precision': 'float64, stored as float32'}
        if name != cellcode.replace('|', '_'):
            meta['family'] = family
            meta['operations'] = operations
        arrays['meta'] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
        path = os.path.join(args.out, name + '.npz')
        np.savez_compressed(path, **arrays)
        total += os.path.getsize(path)
        print(f'{name}: {len(params)} tensors, {sum(v.numel() for v in init.values())} values, '
              f'loss {exact["loss"].item():.6f} -> {exact["loss2"].item():.6f}, no gradient: {len(no_grad)}, '
              f'{os.path.getsize(path)} bytes; PyTorch float32 vs exact: '
              + ', '.join(f'{k} {v:.1e}' for k, v in float32_error.items()))
    print(f'{total} bytes in all')


if __name__ == '__main__':
    main()
