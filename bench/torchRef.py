"""PyTorch reference for `npm run bench`: the same tiny Llama-style model as
trainer/model/model.ts (pre-norm RMSNorm, rotate-half RoPE, causal MHA, SwiGLU, tied
embeddings), the same batch shape, one AdamW training step timed.
Usage: python3 bench/torchRef.py --rows R --seq T [--hidden-size 128 --num-hidden-layers 4
       --num-attention-heads 4 --intermediate-size 352] (Hugging Face's names, as trainer/model/modelConfig.ts)
Prints one JSON line: {"stepMs": median, "threads": n, "torch": version, "peakMB": peak RSS}."""
import argparse, json, math, resource, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument('--rows', type=int, required=True)
p.add_argument('--seq', type=int, required=True)
p.add_argument('--hidden-size', type=int, default=128)
p.add_argument('--num-hidden-layers', type=int, default=4)
p.add_argument('--num-attention-heads', type=int, default=4)
p.add_argument('--intermediate-size', type=int, default=352)
p.add_argument('--vocab-size', type=int, default=260)
p.add_argument('--steps', type=int, default=10)
p.add_argument('--threads', type=int, default=0)
a = p.parse_args()
if a.threads:
    torch.set_num_threads(a.threads)
torch.manual_seed(0)


class RMSNorm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * self.weight


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        d, f = a.hidden_size, a.intermediate_size
        self.n1, self.n2 = RMSNorm(d), RMSNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d, bias=False) for _ in range(4))
        self.gate, self.up = nn.Linear(d, f, bias=False), nn.Linear(d, f, bias=False)
        self.down = nn.Linear(f, d, bias=False)

    def forward(self, x, cos, sin):
        B, T, d = x.shape
        H, hd = a.num_attention_heads, d // a.num_attention_heads
        h = self.n1(x)
        def heads(t):
            return t.view(B, T, H, hd).transpose(1, 2)
        def rope(t):
            t1, t2 = t[..., : hd // 2], t[..., hd // 2:]
            return t * cos + torch.cat([-t2, t1], -1) * sin
        q, k, v = rope(heads(self.q(h))), rope(heads(self.k(h))), heads(self.v(h))
        # Written out like trainer/model/model.ts (torch 1.13 has no fused attention anyway).
        mask = torch.full((T, T), float('-inf')).triu(1)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, -1) @ v
        x = x + self.o(att.transpose(1, 2).reshape(B, T, d))
        h = self.n2(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(a.vocab_size, a.hidden_size)
        self.layers = nn.ModuleList(Block() for _ in range(a.num_hidden_layers))
        self.norm = RMSNorm(a.hidden_size)

    def forward(self, ids):
        T = ids.shape[1]
        hd = a.hidden_size // a.num_attention_heads
        inv = 10000 ** (-torch.arange(0, hd // 2).float() * 2 / hd)
        ang = torch.arange(T).float()[:, None] * inv[None]
        cos, sin = torch.cat([ang.cos()] * 2, -1), torch.cat([ang.sin()] * 2, -1)
        x = self.embed(ids)
        for l in self.layers:
            x = l(x, cos, sin)
        return self.norm(x) @ self.embed.weight.T


m = Model()
opt = torch.optim.AdamW(m.parameters(), lr=3e-3, betas=(0.9, 0.95), weight_decay=0.01)
ids = torch.randint(0, 256, (a.rows, a.seq))
tgt = torch.randint(0, 256, (a.rows, a.seq))
times = []
for i in range(a.steps + 2):
    t0 = time.perf_counter()
    loss = F.cross_entropy(m(ids).reshape(-1, a.vocab_size), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
    opt.step()
    if i >= 2:
        times.append((time.perf_counter() - t0) * 1000)
# ru_maxrss is in KiB on Linux: the process's peak resident set, as the Node side reports.
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"stepMs": statistics.median(times), "threads": torch.get_num_threads(), "torch": torch.__version__,
                  "peakMB": peak_mb}))
