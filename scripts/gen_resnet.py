#!/usr/bin/python3
"""Writes workloads/resnet.yaml: ResNet-50 in torchvision's v1.5 layout.

    /usr/bin/python3 scripts/gen_resnet.py > workloads/resnet.yaml
    /usr/bin/python3 scripts/gen_resnet.py --check workloads/resnet.yaml   # exit 1 if stale
    /usr/bin/python3 scripts/gen_resnet.py --weight-pattern 2:4 > workloads/resnet_2of4.yaml

With --weight-pattern N:M every convolution but the stem (3 input channels: no group of M) and the
classifier declare N:M sparse weights (docs/sparsity.md), as a network pruned for a sparse tensor
core would be; the mathematics (MACs, parameters) is the dense network's.

The workload is generated because its 177 layers follow one pattern (the bottleneck block) that is
easier to review here than in the output. The script also counts MACs and parameters with the same
rules as compiler/shape_inference.cpp and writes them into the file's header, as a second,
independent derivation of the numbers tests/unit/compiler pins.
"""

import argparse
import sys

from workload_output import write_or_check

# (blocks, bottleneck width, stride of the first block) for torchvision's layer1..layer4.
STAGES = [(3, 64, 1), (4, 128, 2), (6, 256, 2), (3, 512, 2)]
EXPANSION = 4  # a bottleneck's output has 4x its width in channels
IMAGE = 224
NUM_CLASSES = 1000


class Writer:
    """Emits one flow-style YAML line per layer and keeps the running totals."""

    def __init__(self, weight_pattern=None):
        self.lines = []
        self.macs = 0
        self.params = 0
        self.weight_pattern = weight_pattern  # "N:M" on the pruned layers, or None

    def comment(self, text):
        self.lines.append(f"  # {text}")

    def layer(self, **fields):
        def value(v):
            if isinstance(v, list):
                return "[" + ", ".join(str(x) for x in v) + "]"
            return str(v)

        body = ", ".join(f"{key}: {value(v)}" for key, v in fields.items())
        self.lines.append(f"  - {{{body}}}")

    def sparsity(self, in_channels):
        """The weight_pattern field of a layer with `in_channels`, if it is pruned."""
        if self.weight_pattern is None or in_channels < int(self.weight_pattern.split(":")[1]):
            return {}
        return {"weight_pattern": f'"{self.weight_pattern}"'}

    def conv(self, name, source, size, in_channels, out_channels, kernel, stride, padding):
        """A bias-free conv2d; returns its output size. Counts as shape inference does."""
        self.layer(name=name, op="conv2d", input=source, out_channels=out_channels,
                   kernel=kernel, **({"stride": stride} if stride != 1 else {}),
                   **({"padding": padding} if padding else {}), **self.sparsity(in_channels))
        out = (size + 2 * padding - kernel) // stride + 1
        weights = out_channels * in_channels * kernel * kernel
        self.macs += out * out * weights
        self.params += weights
        return out

    def batchnorm(self, name, source, channels):
        self.layer(name=name, op="batchnorm", input=source)
        self.params += 2 * channels


def bottleneck(w, prefix, source, size, in_channels, width, stride):
    """torchvision's Bottleneck (v1.5: the stride sits on the 3x3 conv). Returns its last layer,
    output size and channels."""
    out_channels = width * EXPANSION
    w.conv(f"{prefix}.conv1", source, size, in_channels, width, 1, 1, 0)
    w.batchnorm(f"{prefix}.bn1", f"{prefix}.conv1", width)
    w.layer(name=f"{prefix}.relu1", op="relu", input=f"{prefix}.bn1")
    out = w.conv(f"{prefix}.conv2", f"{prefix}.relu1", size, width, width, 3, stride, 1)
    w.batchnorm(f"{prefix}.bn2", f"{prefix}.conv2", width)
    w.layer(name=f"{prefix}.relu2", op="relu", input=f"{prefix}.bn2")
    w.conv(f"{prefix}.conv3", f"{prefix}.relu2", out, width, out_channels, 1, 1, 0)
    w.batchnorm(f"{prefix}.bn3", f"{prefix}.conv3", out_channels)
    identity = source
    if stride != 1 or in_channels != out_channels:
        w.conv(f"{prefix}.downsample.0", source, size, in_channels, out_channels, 1, stride, 0)
        w.batchnorm(f"{prefix}.downsample.1", f"{prefix}.downsample.0", out_channels)
        identity = f"{prefix}.downsample.1"
    w.layer(name=f"{prefix}.add", op="add", inputs=[f"{prefix}.bn3", identity])
    w.layer(name=f"{prefix}.relu3", op="relu", input=f"{prefix}.add")
    return f"{prefix}.relu3", out, out_channels


def generate(weight_pattern=None):
    w = Writer(weight_pattern)
    w.comment(f"stem: {IMAGE}x{IMAGE}x3 -> 56x56x64")
    size = w.conv("conv1", "image", IMAGE, 3, 64, 7, 2, 3)
    w.batchnorm("bn1", "conv1", 64)
    w.layer(name="relu", op="relu", input="bn1")
    w.layer(name="maxpool", op="maxpool", input="relu", kernel=3, stride=2, padding=1)
    size = (size + 2 - 3) // 2 + 1
    source, channels = "maxpool", 64
    for stage, (blocks, width, stride) in enumerate(STAGES, start=1):
        out_size = (size - 1) // stride + 1
        w.comment(f"layer{stage}: {blocks} bottleneck blocks, width {width}, "
                  f"{size}x{size}x{channels} -> {out_size}x{out_size}x{width * EXPANSION}")
        for block in range(blocks):
            source, size, channels = bottleneck(w, f"layer{stage}.{block}", source, size,
                                                channels, width, stride if block == 0 else 1)
    w.comment(f"head: {size}x{size}x{channels} -> {NUM_CLASSES} class probabilities")
    w.layer(name="avgpool", op="global_avgpool", input=source)
    w.layer(name="flatten", op="flatten", input="avgpool")
    w.layer(name="fc", op="dense", input="flatten", out_features=NUM_CLASSES,
            **w.sparsity(channels))
    w.macs += channels * NUM_CLASSES
    w.params += channels * NUM_CLASSES + NUM_CLASSES
    w.layer(name="softmax", op="softmax", input="fc")

    header = [
        "# ResNet-50, torchvision v1.5 layout (the stride-2 conv of stages 2-4 is the 3x3 one).",
        "# Generated by scripts/gen_resnet.py" + ("" if weight_pattern is None else f" --weight-pattern {weight_pattern}") + "; edit the script, not this file.",
        "#",
        "# Convolutions are bias-free (the default) and each is followed by batchnorm; a separate",
        "# relu layer follows each batchnorm except a block's last, whose relu comes after the",
        "# residual add. The first block of each stage has a downsample branch (1x1 conv with the",
        "# block's stride, then batchnorm) on its identity path.",
        "#",
        f"# Totals: {w.macs:,} MACs (conv + fc), {w.params:,} parameters",
        "# (conv and fc weights, fc bias, batchnorm scale and shift).",
    ]
    if weight_pattern is not None:
        header += [
            "#",
            f"# Pruned {weight_pattern}: every convolution but the stem, and fc, declares weight_pattern",
            f"# \"{weight_pattern}\" (docs/sparsity.md): run it on a design whose sparsity.support is",
            "# skipping (or gating) to see what the pattern buys; on a dense design it runs as ResNet-50.",
        ]
    header += [
        f"name: resnet50{'' if weight_pattern is None else '_' + weight_pattern.replace(':', 'of')}",
        "batch: 1",
        "inputs:",
        f"  - {{name: image, shape: [{IMAGE}, {IMAGE}, 3]}}",
        "layers:",
    ]
    return "\n".join(header + w.lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", metavar="PATH",
                        help="compare with PATH instead of printing; exit 1 if it differs")
    parser.add_argument("--weight-pattern", metavar="N:M",
                        help="declare N:M sparse weights on every conv but the stem, and on fc")
    args = parser.parse_args()
    text = generate(args.weight_pattern)
    return write_or_check(text, args.check, "scripts/gen_resnet.py")


if __name__ == "__main__":
    sys.exit(main())
