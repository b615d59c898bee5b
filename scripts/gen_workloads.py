#!/usr/bin/python3
"""Writes the classic ImageNet CNNs as workloads, in torchvision's layouts.

    /usr/bin/python3 scripts/gen_workloads.py NAME > workloads/NAME.yaml
    /usr/bin/python3 scripts/gen_workloads.py NAME --check workloads/NAME.yaml   # exit 1 if stale
    /usr/bin/python3 scripts/gen_workloads.py --list

NAME is one of alexnet, vgg16, resnet18, mobilenet_v2, squeezenet1_1 (ResNet-50 has its own
script, gen_resnet.py; LeNet-5 is small enough to write and check by hand).

Every network is torchvision's definition at 224x224x3, batch 1, with these conventions (the same
as resnet.yaml's):
- layer names are torchvision's module names (`features.0`, `layer1.0.conv1`, `classifier.1`);
  layers torchvision applies functionally get descriptive names (`flatten`, `<block>.add`,
  `<fire>.cat`, `softmax`);
- batchnorm and activations are layers of their own, never fused with `activation:`;
- dropout is the identity at inference and is omitted (its module index is skipped);
- an adaptive average pool whose output size equals its input size is the identity and is omitted;
  one that pools to 1x1 is a `global_avgpool`;
- a `softmax` closes each classifier, as in resnet.yaml (0 MACs, 0 parameters).
torchvision flattens NCHW, our tensors are NHWC: where a spatial map is flattened (AlexNet, VGG)
the first dense layer's weight rows are in a different order, which changes neither the MACs nor
the parameter count.

The script tracks every tensor's shape and counts MACs and parameters with the rules of
compiler/shape_inference.cpp (conv: Hout x Wout x Cout x Cin/groups x Kh x Kw; dense: in x out;
batchnorm 2 x C parameters; everything else 0), writing them into the file's header: a second,
independent derivation of the numbers tests/unit/compiler/classic_workloads_test.cpp pins.
"""

import argparse
import sys

from workload_output import write_or_check

IMAGE = 224
NUM_CLASSES = 1000


def window_out(size, kernel, stride, pad_before, pad_after, ceil_mode=False):
    """PyTorch's output size along one axis; floor mode is ours (docs/workloads.md)."""
    span = size + pad_before + pad_after - kernel
    if not ceil_mode:
        return span // stride + 1
    out = -(-span // stride) + 1
    # PyTorch drops a last window that would start in the right padding (or beyond the input).
    if (out - 1) * stride >= size + pad_before:
        out -= 1
    return out


class Writer:
    """Emits one flow-style YAML line per layer, tracks each tensor's shape (per sample, HWC or
    [features]) and keeps the running MAC and parameter totals."""

    def __init__(self, input_name, shape):
        self.lines = []
        self.shapes = {input_name: tuple(shape)}
        self.macs = 0
        self.params = 0

    def comment(self, text):
        self.lines.append(f"  # {text}")

    def emit(self, name, op, source, shape, **keys):
        if name in self.shapes:
            raise ValueError(f"duplicate layer name {name}")
        fields = {"name": name, "op": op}
        if isinstance(source, list):
            fields["inputs"] = source
        else:
            fields["input"] = source
        fields.update(keys)

        def value(v):
            if isinstance(v, list):
                return "[" + ", ".join(str(x) for x in v) + "]"
            if isinstance(v, bool):
                return "true" if v else "false"
            return str(v)

        body = ", ".join(f"{key}: {value(v)}" for key, v in fields.items())
        self.lines.append(f"  - {{{body}}}")
        self.shapes[name] = tuple(shape)
        return name

    def conv(self, name, source, out_channels, kernel, stride=1, padding=0, groups=1, bias=False):
        h, w, c = self.shapes[source]
        assert c % groups == 0 and out_channels % groups == 0, name
        keys = {"out_channels": out_channels, "kernel": kernel}
        if stride != 1:
            keys["stride"] = stride
        if padding:
            keys["padding"] = padding
        if groups != 1:
            keys["groups"] = groups
        if bias:
            keys["bias"] = True
        ho = window_out(h, kernel, stride, padding, padding)
        wo = window_out(w, kernel, stride, padding, padding)
        weights = out_channels * (c // groups) * kernel * kernel
        self.macs += ho * wo * weights
        self.params += weights + (out_channels if bias else 0)
        return self.emit(name, "conv2d", source, (ho, wo, out_channels), **keys)

    def dense(self, name, source, out_features):
        (features,) = self.shapes[source]
        self.macs += features * out_features
        self.params += features * out_features + out_features  # torchvision's Linear has a bias
        return self.emit(name, "dense", source, (out_features,), out_features=out_features)

    def batchnorm(self, name, source):
        self.params += 2 * self.shapes[source][-1]
        return self.emit(name, "batchnorm", source, self.shapes[source])

    def unary(self, name, op, source):
        """An activation or softmax: same shape, no MACs, no parameters."""
        return self.emit(name, op, source, self.shapes[source])

    def pool(self, name, op, source, kernel, stride, padding=0, ceil_mode=False):
        """A max or average pool. Our pooling floors; with ceil_mode (torchvision's SqueezeNet)
        the generator checks that floor gives the same size, so the shapes stay torchvision's."""
        h, w, c = self.shapes[source]
        sizes = []
        for size in (h, w):
            floor = window_out(size, kernel, stride, padding, padding)
            if ceil_mode and window_out(size, kernel, stride, padding, padding, True) != floor:
                raise ValueError(f"{name}: ceil_mode pooling of {size} differs from floor; "
                                 "pad the bottom/right to match")
            sizes.append(floor)
        keys = {"kernel": kernel}
        if stride != kernel:
            keys["stride"] = stride
        if padding:
            keys["padding"] = padding
        return self.emit(name, op, source, (sizes[0], sizes[1], c), **keys)

    def global_avgpool(self, name, source):
        return self.emit(name, "global_avgpool", source, (1, 1, self.shapes[source][-1]))

    def flatten(self, name, source):
        count = 1
        for d in self.shapes[source]:
            count *= d
        return self.emit(name, "flatten", source, (count,))

    def add(self, name, a, b):
        assert self.shapes[a] == self.shapes[b], name
        return self.emit(name, "add", [a, b], self.shapes[a])

    def concat(self, name, sources):
        first = self.shapes[sources[0]]
        assert all(self.shapes[s][:-1] == first[:-1] for s in sources), name
        channels = sum(self.shapes[s][-1] for s in sources)
        return self.emit(name, "concat", list(sources), first[:-1] + (channels,))

    def describe(self, name):
        return "x".join(str(d) for d in self.shapes[name])


def alexnet(w):
    w.comment(f"features: {IMAGE}x{IMAGE}x3 -> 6x6x256")
    x = w.conv("features.0", "image", 64, 11, stride=4, padding=2, bias=True)
    x = w.unary("features.1", "relu", x)
    x = w.pool("features.2", "maxpool", x, 3, 2)
    x = w.conv("features.3", x, 192, 5, padding=2, bias=True)
    x = w.unary("features.4", "relu", x)
    x = w.pool("features.5", "maxpool", x, 3, 2)
    x = w.conv("features.6", x, 384, 3, padding=1, bias=True)
    x = w.unary("features.7", "relu", x)
    x = w.conv("features.8", x, 256, 3, padding=1, bias=True)
    x = w.unary("features.9", "relu", x)
    x = w.conv("features.10", x, 256, 3, padding=1, bias=True)
    x = w.unary("features.11", "relu", x)
    x = w.pool("features.12", "maxpool", x, 3, 2)
    assert w.shapes[x] == (6, 6, 256)
    w.comment("avgpool (AdaptiveAvgPool2d((6, 6))) is the identity on a 6x6 map: omitted")
    w.comment("classifier: 9216 -> 4096 -> 4096 -> 1000 (dropout at .0 and .3 omitted)")
    x = w.flatten("flatten", x)
    x = w.dense("classifier.1", x, 4096)
    x = w.unary("classifier.2", "relu", x)
    x = w.dense("classifier.4", x, 4096)
    x = w.unary("classifier.5", "relu", x)
    x = w.dense("classifier.6", x, NUM_CLASSES)
    w.unary("softmax", "softmax", x)


# Configuration D: (3x3 convs, their channels) per block, each block closed by a 2x2 max pool.
VGG16_BLOCKS = [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)]


def vgg16(w):
    x, index = "image", 0
    for block, (convs, channels) in enumerate(VGG16_BLOCKS, start=1):
        h, w_, _ = w.shapes[x]
        w.comment(f"block {block} (features.{index}-{index + 2 * convs}): {convs} convs, "
                  f"{w.describe(x)} -> {h // 2}x{w_ // 2}x{channels}")
        for _ in range(convs):
            x = w.conv(f"features.{index}", x, channels, 3, padding=1, bias=True)
            x = w.unary(f"features.{index + 1}", "relu", x)
            index += 2
        x = w.pool(f"features.{index}", "maxpool", x, 2, 2)
        index += 1
    assert w.shapes[x] == (7, 7, 512)
    w.comment("avgpool (AdaptiveAvgPool2d((7, 7))) is the identity on a 7x7 map: omitted")
    w.comment("classifier: 25088 -> 4096 -> 4096 -> 1000 (dropout at .2 and .5 omitted)")
    x = w.flatten("flatten", x)
    x = w.dense("classifier.0", x, 4096)
    x = w.unary("classifier.1", "relu", x)
    x = w.dense("classifier.3", x, 4096)
    x = w.unary("classifier.4", "relu", x)
    x = w.dense("classifier.6", x, NUM_CLASSES)
    w.unary("softmax", "softmax", x)


def basic_block(w, prefix, source, out_channels, stride):
    """torchvision's BasicBlock: 3x3 (with the block's stride) - bn - relu - 3x3 - bn, plus the
    identity or a 1x1 downsample (conv with the stride, then bn), add, relu."""
    in_channels = w.shapes[source][-1]
    x = w.conv(f"{prefix}.conv1", source, out_channels, 3, stride=stride, padding=1)
    x = w.batchnorm(f"{prefix}.bn1", x)
    x = w.unary(f"{prefix}.relu1", "relu", x)
    x = w.conv(f"{prefix}.conv2", x, out_channels, 3, padding=1)
    x = w.batchnorm(f"{prefix}.bn2", x)
    identity = source
    if stride != 1 or in_channels != out_channels:
        identity = w.conv(f"{prefix}.downsample.0", source, out_channels, 1, stride=stride)
        identity = w.batchnorm(f"{prefix}.downsample.1", identity)
    x = w.add(f"{prefix}.add", x, identity)
    return w.unary(f"{prefix}.relu2", "relu", x)


def resnet18(w):
    w.comment(f"stem: {IMAGE}x{IMAGE}x3 -> 56x56x64")
    x = w.conv("conv1", "image", 64, 7, stride=2, padding=3)
    x = w.batchnorm("bn1", x)
    x = w.unary("relu", "relu", x)
    x = w.pool("maxpool", "maxpool", x, 3, 2, padding=1)
    for stage, (channels, stride) in enumerate([(64, 1), (128, 2), (256, 2), (512, 2)], start=1):
        size = window_out(w.shapes[x][0], 3, stride, 1, 1)
        w.comment(f"layer{stage}: 2 basic blocks, {w.describe(x)} -> {size}x{size}x{channels}")
        x = basic_block(w, f"layer{stage}.0", x, channels, stride)
        x = basic_block(w, f"layer{stage}.1", x, channels, 1)
    w.comment(f"head: {w.describe(x)} -> {NUM_CLASSES} class probabilities")
    x = w.global_avgpool("avgpool", x)
    x = w.flatten("flatten", x)
    x = w.dense("fc", x, NUM_CLASSES)
    w.unary("softmax", "softmax", x)


def make_divisible(value, divisor=8):
    """torchvision's _make_divisible (channel counts rounded to multiples of 8)."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


# (expansion t, output channels c, repeats n, first stride s), from the paper's Table 2.
MOBILENET_V2_SETTING = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                        (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def conv_bn_relu6(w, prefix, source, out_channels, kernel, stride=1, groups=1):
    """torchvision's Conv2dNormActivation: <prefix>.0 conv (bias-free, 'same' padding for odd
    kernels), <prefix>.1 batchnorm, <prefix>.2 relu6."""
    x = w.conv(f"{prefix}.0", source, out_channels, kernel, stride=stride,
               padding=(kernel - 1) // 2, groups=groups)
    x = w.batchnorm(f"{prefix}.1", x)
    return w.unary(f"{prefix}.2", "relu6", x)


def inverted_residual(w, prefix, source, out_channels, stride, expansion):
    """torchvision's InvertedResidual: [1x1 expand - bn - relu6] - 3x3 depthwise - bn - relu6 -
    1x1 linear projection - bn, plus the input when stride is 1 and the channels match."""
    in_channels = w.shapes[source][-1]
    hidden = int(round(in_channels * expansion))
    x, index = source, 0
    if expansion != 1:
        x = conv_bn_relu6(w, f"{prefix}.conv.0", x, hidden, 1)
        index = 1
    x = conv_bn_relu6(w, f"{prefix}.conv.{index}", x, hidden, 3, stride=stride, groups=hidden)
    x = w.conv(f"{prefix}.conv.{index + 1}", x, out_channels, 1)
    x = w.batchnorm(f"{prefix}.conv.{index + 2}", x)
    if stride == 1 and in_channels == out_channels:
        x = w.add(f"{prefix}.add", x, source)
    return x


def mobilenet_v2(w):
    w.comment(f"features.0: {IMAGE}x{IMAGE}x3 -> 112x112x32")
    x = conv_bn_relu6(w, "features.0", "image", make_divisible(32), 3, stride=2)
    index = 1
    for t, c, n, s in MOBILENET_V2_SETTING:
        out_channels = make_divisible(c)
        size = window_out(w.shapes[x][0], 3, s, 1, 1)
        blocks = f"features.{index}" + (f"-{index + n - 1}" if n > 1 else "")
        w.comment(f"{blocks}: {n} block{'s' if n > 1 else ''}, expansion {t}, "
                  f"{w.describe(x)} -> {size}x{size}x{out_channels}")
        for i in range(n):
            x = inverted_residual(w, f"features.{index}", x, out_channels, s if i == 0 else 1, t)
            index += 1
    w.comment(f"features.{index}: 1x1 conv to 1280 channels; head (dropout at classifier.0 "
              "omitted)")
    x = conv_bn_relu6(w, f"features.{index}", x, make_divisible(1280), 1)
    x = w.global_avgpool("avgpool", x)
    x = w.flatten("flatten", x)
    x = w.dense("classifier.1", x, NUM_CLASSES)
    w.unary("softmax", "softmax", x)


def fire(w, prefix, source, squeeze, expand1x1, expand3x3):
    """torchvision's Fire: a 1x1 squeeze, then 1x1 and 3x3 expands concatenated on channels."""
    s = w.conv(f"{prefix}.squeeze", source, squeeze, 1, bias=True)
    s = w.unary(f"{prefix}.squeeze_activation", "relu", s)
    a = w.conv(f"{prefix}.expand1x1", s, expand1x1, 1, bias=True)
    a = w.unary(f"{prefix}.expand1x1_activation", "relu", a)
    b = w.conv(f"{prefix}.expand3x3", s, expand3x3, 3, padding=1, bias=True)
    b = w.unary(f"{prefix}.expand3x3_activation", "relu", b)
    return w.concat(f"{prefix}.cat", [a, b])


def squeezenet1_1(w):
    w.comment(f"features: {IMAGE}x{IMAGE}x3 -> 13x13x512")
    x = w.conv("features.0", "image", 64, 3, stride=2, bias=True)
    x = w.unary("features.1", "relu", x)
    x = w.pool("features.2", "maxpool", x, 3, 2, ceil_mode=True)
    x = fire(w, "features.3", x, 16, 64, 64)
    x = fire(w, "features.4", x, 16, 64, 64)
    x = w.pool("features.5", "maxpool", x, 3, 2, ceil_mode=True)
    x = fire(w, "features.6", x, 32, 128, 128)
    x = fire(w, "features.7", x, 32, 128, 128)
    x = w.pool("features.8", "maxpool", x, 3, 2, ceil_mode=True)
    x = fire(w, "features.9", x, 48, 192, 192)
    x = fire(w, "features.10", x, 48, 192, 192)
    x = fire(w, "features.11", x, 64, 256, 256)
    x = fire(w, "features.12", x, 64, 256, 256)
    assert w.shapes[x] == (13, 13, 512)
    w.comment("classifier: 1x1 conv to the classes, relu, global average pool (dropout at .0 "
              "omitted)")
    x = w.conv("classifier.1", x, NUM_CLASSES, 1, bias=True)
    x = w.unary("classifier.2", "relu", x)
    x = w.global_avgpool("classifier.3", x)
    x = w.flatten("flatten", x)
    w.unary("softmax", "softmax", x)


# name -> (builder, title, notes for the header, published MACs, published parameters).
# Published figures: torchvision's model docs, the table of classification weights (its "GFLOPS"
# column holds multiply-accumulates: each weights entry's `_ops`, next to `num_params`).
NETWORKS = {
    "alexnet": (alexnet, "AlexNet, torchvision's alexnet", [
        "The one-tower variant torchvision implements (Krizhevsky 2014, 'One weird trick'; 64,",
        "192, 384, 256, 256 channels), not the two-GPU network of the 2012 paper. Convs and",
        "dense layers have biases. torchvision's avgpool, AdaptiveAvgPool2d((6, 6)), is the",
        "identity on the 6x6 map a 224x224 input gives, so it is omitted. Our flatten is NHWC,",
        "torchvision's NCHW: classifier.1's weight rows are permuted, its counts are the same.",
    ], 0.714e9, 61_100_840),
    "vgg16": (vgg16, "VGG-16, torchvision's vgg16", [
        "Configuration D of Simonyan & Zisserman 2014, without batchnorm: thirteen biased 3x3",
        "convs in five blocks, each block closed by a 2x2 max pool, then three dense layers.",
        "torchvision's avgpool, AdaptiveAvgPool2d((7, 7)), is the identity on the 7x7 map a",
        "224x224 input gives, so it is omitted. Our flatten is NHWC, torchvision's NCHW:",
        "classifier.0's weight rows are permuted, its counts are the same.",
    ], 15.47e9, 138_357_544),
    "resnet18": (resnet18, "ResNet-18, torchvision's resnet18", [
        "Basic blocks x [2, 2, 2, 2]: 3x3 conv (with the block's stride), batchnorm, relu, 3x3",
        "conv, batchnorm, the residual add, relu (torchvision's one `relu` module, applied twice,",
        "is relu1 and relu2 here). The first block of layer2-4 strides by 2 and has a downsample",
        "branch (1x1 conv with stride 2, then batchnorm) on its identity path. Convs are",
        "bias-free.",
    ], 1.814e9, 11_689_512),
    "mobilenet_v2": (mobilenet_v2, "MobileNetV2 (width 1.0), torchvision's mobilenet_v2", [
        "Inverted residual blocks (Sandler et al. 2018, Table 2): a 1x1 expansion conv (absent",
        "when the expansion is 1), a 3x3 depthwise conv (groups = channels) and a 1x1 linear",
        "projection, each bias-free and followed by batchnorm; relu6 after the first two only.",
        "The residual add (`features.N.add`) is present only where the stride is 1 and the input",
        "and output channels are equal. features.18 is the final 1x1 conv to 1280 channels.",
    ], 0.301e9, 3_504_872),
    "squeezenet1_1": (squeezenet1_1, "SqueezeNet 1.1, torchvision's squeezenet1_1", [
        "Fire modules: a 1x1 squeeze conv, then 1x1 and 3x3 expand convs whose outputs are",
        "concatenated on channels (`features.N.cat`); every conv has a bias and a relu. The",
        "classifier is a 1x1 conv to the classes, relu and a global average pool.",
        "torchvision's max pools use ceil_mode=True and ours floor, but at 224x224 each pool's",
        "input minus its kernel (111 - 3, 55 - 3, 27 - 3) is even, so both give 55, 27 and 13",
        "and no extra padding is needed (the generator checks this).",
    ], 0.349e9, 1_235_496),
}


def generate(name):
    builder, title, notes, published_macs, published_params = NETWORKS[name]
    w = Writer("image", (IMAGE, IMAGE, 3))
    builder(w)
    header = [
        f"# {title}, {IMAGE}x{IMAGE}x3, batch 1.",
        "# Generated by scripts/gen_workloads.py; edit the script, not this file.",
        "#",
        *[f"# {line}" for line in notes],
        "#",
        "# Layer names are torchvision's modules; batchnorm and activations are separate layers;",
        "# dropout is omitted; a softmax closes the classifier.",
        "#",
        f"# Totals: {w.macs:,} MACs (conv + dense), {w.params:,} parameters.",
        f"# torchvision publishes {published_macs / 1e9:g} GMACs ("
        f"{100 * (w.macs / published_macs - 1):+.2f}%) and {published_params:,} parameters ("
        f"{100 * (w.params / published_params - 1):+.2f}%).",
        f"name: {name}",
        "batch: 1",
        "inputs:",
        f"  - {{name: image, shape: [{IMAGE}, {IMAGE}, 3]}}",
        "layers:",
    ]
    return "\n".join(header + w.lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", choices=sorted(NETWORKS))
    parser.add_argument("--check", metavar="PATH",
                        help="compare with PATH instead of printing; exit 1 if it differs")
    parser.add_argument("--list", action="store_true", help="print the network names")
    args = parser.parse_args()
    if args.list:
        print("\n".join(NETWORKS))
        return 0
    if args.name is None:
        parser.error("give a network name (or --list)")
    text = generate(args.name)
    return write_or_check(text, args.check, f"scripts/gen_workloads.py {args.name}")


if __name__ == "__main__":
    sys.exit(main())
