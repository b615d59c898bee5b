#!/usr/bin/python3
"""End-to-end tests of the npusim command line, as a user runs it.

Usage: test_cli.py --npusim PATH [unittest args]. Runs from the repository root.
"""

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(REPO, "tests", "e2e", "data")
NPUSIM = None

CONTRACT_TOTALS = [
    "cycles", "macs", "flops", "params", "utilization", "macs_per_cycle", "latency_ms",
    "inferences_per_s", "peak_tops", "achieved_tops", "dram_read_bytes", "dram_write_bytes",
    "energy_pj", "energy_breakdown_pj", "tops_per_w",
]
CONTRACT_LAYER = [
    "name", "op", "macs", "cycles", "utilization", "bound", "dram_read_bytes",
    "dram_write_bytes", "energy_pj",
]


def npusim(*args):
    return subprocess.run([NPUSIM, *args], cwd=REPO, capture_output=True, text=True, check=False)


def report(*args):
    result = npusim(*args, "--format", "json")
    if result.returncode != 0:
        raise AssertionError(f"npusim {' '.join(args)} failed: {result.stderr}")
    return json.loads(result.stdout)


class HandDerivedRun(unittest.TestCase):
    """A dense 4 -> 4 layer at batch 1 on a 4x4 array: one fold, every cycle derived by hand.

    Config (tests/e2e/data/hand_4x4.yaml): 1 GHz; DRAM 4 B/cycle, latency 10 cycles, 4 B blocks;
    DMA setup 2 cycles; 4 vector lanes, 1 cycle of latency; SRAM ports 64 B/cycle.
    The compiler emits: load weights (16 B; the first fold's weights come first), load x (4 B),
    load bias/multiplier/shift (4 x 12 B), preload, multiply, requant, store (4 B).
      load weights:  setup -> channel 2..6 (4 cycles), done 2 + 10 + 4 = 16
      load x:        issued 6, setup -> 8..9 (1 cycle), done 8 + 10 + 1 = 19
      load params:   issued 9, setup -> 11..23 (12 cycles), done 11 + 10 + 12 = 33
      preload:       after the weights, 16; R = 4 cycles -> 20
      multiply:      20 (x is in at 19); m + R + C - 2 = 1 + 4 + 4 - 2 = 7 -> 27
      requant:       after the params (33); 1 + ceil(4 / 4) = 2 -> 35
      store:         35, setup -> 37..38, done 37 + 10 + 1 = 48
    Energy (all pJ values 1, DRAM 1.25 pJ/bit = 10 pJ/B, 1 mW static): MACs 16; SRAM reads
    4 + 64 + 20 and writes 4 + 64 + 20 = 176 (input 8: x written and read; weight 128: 16 B of
    weights and 48 B of parameters, each written and read; output 40: 16 B of int32 partial sums and
    4 B of results, each written and read); DRAM (68 + 4) x 10 = 720; vector 4; static
    1 mW x 48 ns = 48, split by block as the config's powers: array 1/2 = 24, vector and input buffer
    1/8 = 6 each, the other four blocks 1/16 = 3 each.
    """

    def setUp(self):
        self.report = report("--arch", os.path.join(DATA, "hand_4x4.yaml"),
                             os.path.join(DATA, "dense4.yaml"))

    def test_total_cycles(self):
        self.assertEqual(self.report["totals"]["cycles"], 48)
        self.assertEqual(self.report["layers"][0]["cycles"], 48)

    def test_traffic_and_macs(self):
        totals = self.report["totals"]
        self.assertEqual(totals["macs"], 16)
        self.assertEqual(totals["params"], 20)
        self.assertEqual(totals["dram_read_bytes"], 68)
        self.assertEqual(totals["dram_write_bytes"], 4)
        self.assertEqual(self.report["layers"][0]["bound"], "memory")

    def test_cycle_breakdown(self):
        """The sweep over the intervals of the table above, window [0, 48):
          [0,19)  loads in flight, array idle        dram_wait 19
          [19,30) preload 19..23, multiply 23..30    compute 11
          [30,33) the parameter load still in flight dram_wait 3
          [33,35) requantize, array idle             vector_wait 2
          [35,48) store in flight                    dram_wait 13
        compute 11 + dram_wait 35 + vector_wait 2 = 48."""
        layer = self.report["layers"][0]
        self.assertEqual(layer["cycles_breakdown"], {"compute": 11, "dram_wait": 35,
                                                     "sram_wait": 0, "vector_wait": 2,
                                                     "dependency_wait": 0})
        self.assertEqual(self.report["totals"]["cycles_breakdown"], layer["cycles_breakdown"])
        self.assertAlmostEqual(layer["compute_fraction"], 11 / 48)
        # One row streamed (1 x 16 PE slots) in 11 busy cycles.
        self.assertAlmostEqual(layer["streaming_fraction"], 1 / 11)

    def test_roofline(self):
        """16 PEs, 4 B/cycle: ridge 4 MACs/B. 16 MACs over 72 B = 0.222 MACs/B, attaining
        0.222 x 4 = 0.889 MACs/cycle; it achieves 16 / 48 = 0.333."""
        self.assertEqual(self.report["roofline"], {"peak_macs_per_cycle": 16.0,
                                                   "dram_bytes_per_cycle": 4.0,
                                                   "ridge_macs_per_byte": 4.0})
        self.assertAlmostEqual(self.report["layers"][0]["attainable_macs_per_cycle"], 16 / 72 * 4)

    def test_energy(self):
        breakdown = self.report["totals"]["energy_breakdown_pj"]
        self.assertAlmostEqual(breakdown["mac"], 16)
        self.assertAlmostEqual(breakdown["sram"], 176)
        self.assertAlmostEqual(breakdown["dram"], 720)
        self.assertAlmostEqual(breakdown["vector"], 4)
        self.assertAlmostEqual(breakdown["static"], 48)
        self.assertAlmostEqual(self.report["totals"]["energy_pj"], 964)
        self.assertEqual(self.report["totals"]["sram_energy_pj"],
                         {"input": 8.0, "weight": 128.0, "output": 40.0})
        self.assertEqual(self.report["totals"]["static_energy_pj"],
                         {"array": 24.0, "vector": 6.0, "input_buffer": 6.0, "weight_buffer": 3.0,
                          "output_buffer": 3.0, "dma": 3.0, "controller": 3.0})
        layer = self.report["layers"][0]
        self.assertEqual(layer["sram_energy_pj"], self.report["totals"]["sram_energy_pj"])
        # 964 pJ / 16 MACs; 32 ops / 964 pJ.
        self.assertAlmostEqual(layer["pj_per_mac"], 60.25)
        self.assertAlmostEqual(layer["tops_per_w"], 32 / 964)
        self.assertEqual(self.report["energy_costs"]["dram_pj_per_byte"], 10.0)


class GatedSparsity(unittest.TestCase):
    """dense4 (above) with 2:4 weights and activation density 0.5, on hand_4x4 with gating.

    effective MACs = 16 x 0.5 x 0.5 = 4. Gating changes no cycle or byte: 48 cycles as dense. MAC
    energy = 16 executed x 4/16 x 1 pJ = 4 pJ instead of 16; everything else as HandDerivedRun:
    dense total 16 + 176 + 720 + 4 + 48 = 964 pJ, gated 952 pJ. hand_4x4 gates ideally
    (gated_mac_fraction 0); with a residual of 0.25 each of the 12 gated MACs still costs 0.25 pJ:
    16 x (4/16 + 12/16 x 0.25) = 7 pJ, 955 pJ in all.
    """

    def run_sparse(self, support, *extra):
        with tempfile.TemporaryDirectory() as tmp:
            workload = os.path.join(tmp, "sparse4.yaml")
            with open(workload, "w", encoding="utf-8") as file:
                file.write("name: sparse4\ninputs:\n  - {name: x, shape: [4]}\nlayers:\n"
                           "  - {name: fc, op: dense, input: x, out_features: 4,\n"
                           "     weight_pattern: \"2:4\", activation_density: 0.5}\n")
            return npusim("--arch", os.path.join(DATA, "hand_4x4.yaml"), "--set",
                          f"sparsity.support={support}", *extra, "--format", "json", workload)

    def test_gating_saves_mac_energy_only(self):
        result = self.run_sparse("gating")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        totals = json.loads(result.stdout)["totals"]
        self.assertEqual(totals["cycles"], 48)
        self.assertEqual(totals["dense_baseline_cycles"], 48)
        self.assertEqual(totals["dense_macs"], 16)
        self.assertEqual(totals["effective_macs"], 4)
        self.assertEqual(totals["skipped_macs"], 0)
        self.assertAlmostEqual(totals["energy_breakdown_pj"]["mac"], 4.0)
        self.assertAlmostEqual(totals["dense_baseline_energy_pj"], 964.0)
        self.assertAlmostEqual(totals["energy_pj"], 952.0)

    def test_gated_mac_residual(self):
        """Gating leaves cycles unchanged and cuts MAC energy by the zero fraction (12/16) times
        the gating saving (1 - 0.25): 16 x 0.75 x 0.75 = 9 pJ, from 16 to 7."""
        result = self.run_sparse("gating", "--set", "energy.gated_mac_fraction=0.25")
        self.assertEqual(result.returncode, 0, result.stderr)
        report = json.loads(result.stdout)
        totals = report["totals"]
        self.assertEqual(totals["cycles"], 48)
        self.assertEqual(totals["dense_baseline_cycles"], 48)
        self.assertAlmostEqual(totals["energy_breakdown_pj"]["mac"], 7.0)
        self.assertAlmostEqual(totals["dense_baseline_energy_pj"] - totals["energy_pj"], 9.0)
        self.assertAlmostEqual(totals["energy_pj"], 955.0)
        self.assertAlmostEqual(report["energy_costs"]["gated_mac_pj"], 0.25)

    def test_packed_int4_layers_are_gated_and_the_cli_says_why(self):
        result = npusim("--arch", "configs/int4_64x64.yaml", "--set", "sparsity.support=skipping",
                        "--set", "sparsity.structured_patterns=[2:4]", "--set",
                        "sparsity.metadata_bits_per_nonzero=2", "--format", "json",
                        "workloads/resnet_2of4.yaml")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr.strip().splitlines(), [
            "npusim: warning: layer 'layer1.0.conv1': sparsity.support: skipping is not modelled "
            "for packed int4 layers; their zeros are gated (docs/sparsity.md)"])
        totals = json.loads(result.stdout)["totals"]
        self.assertEqual(totals["skipped_macs"], 0)

    def test_skipping_without_the_pattern_listed_gates(self):
        # hand_4x4 lists no structured pattern, so nothing is skipped: as gating, with a warning.
        result = self.run_sparse("skipping")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("layer 'fc': sparsity.support: skipping skips only listed N:M", result.stderr)
        self.assertAlmostEqual(json.loads(result.stdout)["totals"]["energy_pj"], 952.0)

    def test_functional_weights_follow_the_pattern_and_files_that_break_it_are_rejected(self):
        # Generated weights are pruned to 2:4 per output row of fc (4 inputs: one group); weights
        # read back from --data must follow it, or the run stops with one line naming the file.
        with tempfile.TemporaryDirectory() as tmp:
            workload = os.path.join(tmp, "sparse4.yaml")
            with open(workload, "w", encoding="utf-8") as file:
                file.write("name: sparse4\ninputs:\n  - {name: x, shape: [4]}\nlayers:\n"
                           "  - {name: fc, op: dense, input: x, out_features: 4,\n"
                           "     weight_pattern: \"2:4\"}\n")
            data = os.path.join(tmp, "data")
            args = ("--arch", os.path.join(DATA, "hand_4x4.yaml"), "--functional", "--data", data,
                    workload)
            first = npusim(*args)
            self.assertEqual(first.returncode, 0, first.stderr)
            path = os.path.join(data, "fc.weight.npy")
            with open(path, "rb") as file:
                raw = bytearray(file.read())
            header = 10 + int.from_bytes(raw[8:10], "little")  # .npy version 1
            weights = [b if b < 128 else b - 256 for b in raw[header:header + 16]]
            for row in range(4):
                self.assertLessEqual(sum(w != 0 for w in weights[4 * row:4 * row + 4]), 2, weights)
            raw[header:header + 4] = bytes([1, 2, 3, 0])  # three nonzeros in row 0's group
            with open(path, "wb") as file:
                file.write(raw)
            second = npusim(*args)
            self.assertEqual(second.returncode, 1)
            self.assertEqual(second.stderr.count("\n"), 1, second.stderr)
            self.assertIn("fc.weight.npy: layer 'fc' declares weight_pattern 2:4 but output "
                          "channel 0, tap 0, input channels 0..3 hold 3 nonzeros (at most 2)",
                          second.stderr)

    def test_unstructured_skipping_reports_its_load_imbalance(self):
        # ResNet's 3x3 64 -> 64 conv at weight density 0.5, ideal memory (docs/sparsity.md,
        # tests/sim/sparsity_test.cpp): folds of 104 reduction rows, not the balanced 128; 6 folds
        # of the one 56-row band against 5 balanced and 9 dense, 6 x 3326 = 19,956 array cycles.
        with tempfile.TemporaryDirectory() as tmp:
            workload = os.path.join(tmp, "conv.yaml")
            with open(workload, "w", encoding="utf-8") as file:
                file.write("name: conv\ninputs:\n  - {name: x, shape: [56, 56, 64]}\nlayers:\n"
                           "  - {name: c, op: conv2d, input: x, out_channels: 64, kernel: 3,\n"
                           "     padding: 1, weight_density: 0.5}\n")
            result = npusim("--arch", "configs/int8_64x64.yaml", "--set", "memory.ideal=true",
                            "--set", "sparsity.support=skipping", "--set",
                            "sparsity.skip_unstructured_weights=true", "--format", "json",
                            "--explain", workload)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")  # every declared zero is skipped: no warning
        layer = json.loads(result.stdout)["layers"][0]
        self.assertEqual(layer["unstructured_skip"],
                         {"weight_density": 0.5, "fold_rows": 104, "balanced_fold_rows": 128})
        self.assertEqual(layer["matrix_busy_cycles"], 19956)
        self.assertEqual(layer["skipped_macs"], 57802752)
        self.assertIn("K = 576 takes 6 folds against 5 balanced and 9 dense: the array's 19,956 "
                      "busy cycles would be about 16,630 without the imbalance",
                      layer["explanation"])
        self.assertIsNone(layer["measured_activation_density"])


class PackedInt4(unittest.TestCase):
    """dense4 (above) with int4 operands packed two per byte and two int4 MACs per PE per cycle.

    Tensors: x 4 x 4 bit = 2 B, weights 4 rows of 4 = 4 x 2 = 8 B, params 4 x 12 = 48 B (records
    do not shrink), output 2 B. The same seven instructions:
      load weights:  setup -> channel 2..4 (8 B: 2 cycles), done 2 + 10 + 2 = 14
      load x:        issued 4, setup -> 6..7 (2 B: one 4-byte block, 1 cycle), done 6 + 10 + 1 = 17
      load params:   issued 7, setup -> 9..21 (12 cycles), done 9 + 10 + 12 = 31
      preload:       after the weights, 14; R = 4 cycles -> 18 (packing changes K's reach, not R)
      multiply:      18; 1 + 4 + 4 - 2 = 7 -> 25
      requant:       after the params (31); 1 + ceil(4 / 4) = 2 -> 33
      store:         33, setup -> 35..36 (2 B in one block), done 35 + 10 + 1 = 46
    DRAM bus bytes: reads 8 + 4 + 48 = 60, writes 4. Energy (mac_pj.int4 set to 0.5): MACs
    16 x 0.5 = 8; SRAM reads input 2 (the multiply's 4 int4), weight 8 + 48, output 16 (requant's
    int32) + 2 (store) and the same writes: 2 x 76 = 152; DRAM 64 x 10 = 640; vector 4; static
    1 mW x 46 ns = 46: 850 pJ. Peak: 2 x 16 PEs x 2 MACs x 1 GHz = 0.064 TOPS.
    """

    def test_cycles_bytes_energy_and_peak(self):
        result = npusim("--arch", os.path.join(DATA, "hand_4x4.yaml"), "--set",
                        "precision.operand=int4", "--set", "array.macs_per_pe_per_cycle.int4=2",
                        "--set", "energy.mac_pj.int4=0.5", "--format", "json",
                        os.path.join(DATA, "dense4.yaml"))
        self.assertEqual(result.returncode, 0, result.stderr)
        run = json.loads(result.stdout)
        totals = run["totals"]
        self.assertEqual(totals["cycles"], 46)
        self.assertEqual(totals["dram_read_bytes"], 60)
        self.assertEqual(totals["dram_write_bytes"], 4)
        self.assertAlmostEqual(totals["energy_breakdown_pj"]["mac"], 8.0)
        self.assertAlmostEqual(totals["energy_breakdown_pj"]["sram"], 152.0)
        self.assertAlmostEqual(totals["energy_pj"], 850.0)
        self.assertAlmostEqual(totals["peak_tops"], 0.064)
        self.assertEqual(run["layers"][0]["precision"], "int4")

    def test_resnet50_with_int8_stem_and_classifier_runs_on_the_int4_design(self):
        # The usual int4 recipe: conv1 and fc at int8; the global average pool widens its int4
        # mean to int8 for fc (docs/workloads.md, "Mixed precision").
        with open(os.path.join(REPO, "workloads", "resnet.yaml"), encoding="utf-8") as file:
            text = file.read()
        for name in ("conv1", "fc"):
            start = text.index(f"{{name: {name}, ")
            end = text.index("}", start)
            text = text[:end] + ", precision: int8" + text[end:]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "resnet_mixed.yaml")
            with open(path, "w", encoding="utf-8") as file:
                file.write(text)
            mixed = report("--arch", "configs/int4_64x64.yaml", path)
        plain = report("--arch", "configs/int4_64x64.yaml", "workloads/resnet.yaml")
        layers = {layer["name"]: layer for layer in mixed["layers"]}
        self.assertEqual(layers["fc"]["precision"], "int8")
        self.assertEqual(layers["conv1"]["precision"], "int8")
        # The int8 ends move more bytes and use half-rate MACs: slower than all-int4.
        self.assertGreater(mixed["totals"]["cycles"], plain["totals"]["cycles"])
        self.assertGreater(mixed["totals"]["dram_read_bytes"], plain["totals"]["dram_read_bytes"])

    def test_shipped_int4_design_prints_its_packed_peak(self):
        # 2 x 4096 PEs x 2 int4 MACs x 480 MHz = 7.86 TOPS, twice int8_64x64's 3.93.
        result = npusim("--arch", "configs/int4_64x64.yaml", "workloads/tiny_cnn.yaml")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("array 64x64 PEs (4096), int4, 480 MHz, peak 7.864 TOPS", result.stdout)

    def test_functional_int4_writes_int4_outputs(self):
        # Every tensor of the int4 design is int4: generated inputs and layer outputs are int8
        # .npy files holding values in [-8, 7] (docs/numerics.md, "int4").
        import numpy
        with tempfile.TemporaryDirectory() as tmp:
            data, out = os.path.join(tmp, "data"), os.path.join(tmp, "out")
            result = npusim("--arch", "configs/int4_64x64.yaml", "--functional", "--data", data,
                            "--out", out, "workloads/resnet8_cifar.yaml")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("functional run: 16 layers", result.stderr)
            image = numpy.load(os.path.join(data, "image.npy"))
            self.assertEqual((image.dtype, image.shape), (numpy.int8, (1, 32, 32, 3)))
            self.assertEqual((image.min(), image.max()), (-8, 7))
            weight = numpy.load(os.path.join(data, "block1.conv1.weight.npy"))
            self.assertEqual((weight.min(), weight.max()), (-7, 7))
            zero_point = numpy.load(os.path.join(data, "stem.conv.quant.npy"))[1]
            self.assertTrue(-8 <= zero_point <= 7)
            fc = numpy.load(os.path.join(out, "fc.npy"))
            self.assertEqual((fc.dtype, fc.shape), (numpy.int8, (1, 10)))
            conv = numpy.load(os.path.join(out, "block1.conv2.npy"))
            self.assertEqual((conv.dtype, conv.shape), (numpy.int8, (1, 32, 32, 16)))
            # The whole int4 range is used, and nothing outside it.
            self.assertEqual((conv.min(), conv.max()), (-8, 7))
            for name in os.listdir(out):
                if name.endswith(".npy"):
                    values = numpy.load(os.path.join(out, name))
                    self.assertTrue(values.min() >= -8 and values.max() <= 7, name)
            # A second run reads the int4 data back and computes the same outputs.
            again = npusim("--arch", "configs/int4_64x64.yaml", "--functional", "--data", data,
                           "--out", os.path.join(tmp, "again"), "workloads/resnet8_cifar.yaml")
            self.assertEqual(again.returncode, 0, again.stderr)
            for name in ("stem.conv", "block3.add", "fc"):
                self.assertTrue(numpy.array_equal(
                    numpy.load(os.path.join(out, name + ".npy")),
                    numpy.load(os.path.join(tmp, "again", name + ".npy"))), name)

    def test_functional_int4_refuses_a_nibble_shifting_concat_in_one_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            workload = os.path.join(tmp, "w.yaml")
            with open(workload, "w", encoding="utf-8") as f:
                f.write("name: w\n"
                        "inputs: [{name: x, shape: [4, 4, 3]}, {name: y, shape: [4, 4, 4]}]\n"
                        "layers:\n"
                        "  - {name: j, op: concat, inputs: [x, y]}\n")
            result = npusim("--arch", "configs/int4_64x64.yaml", "--functional", workload)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertEqual(result.stderr.strip().splitlines(), [
            "npusim: error: --functional: layer 'j': input 'y' starts at int4 channel 3, inside a "
            "byte; the nibble-shifting DMA this needs is modelled for timing only and the "
            "functional interpreter does not execute it"])


class Resnet50(unittest.TestCase):
    """ResNet-50 on the shipped 64x64 design: the issue's acceptance checks."""

    @classmethod
    def setUpClass(cls):
        cls.args = ("--arch", "configs/int8_64x64.yaml", "workloads/resnet.yaml")
        cls.result = npusim(*cls.args, "--format", "json")
        cls.report = json.loads(cls.result.stdout)

    def test_macs_and_params(self):
        totals = self.report["totals"]
        self.assertEqual(totals["macs"], 4_089_184_256)   # the well-known 4.09 G
        self.assertEqual(totals["params"], 25_557_032)    # the well-known 25.56 M
        self.assertEqual(totals["flops"], 2 * totals["macs"])

    def test_activation_memory(self):
        # The stem holds the 224x224x3 image and writes 112x112x64: 150,528 + 802,816 B. The peak
        # is layer1.0's add: conv3's and the projection's 56x56x256 outputs and its own, 3 x
        # 802,816 B (the 56x56x64 block input died with the projection, its last reader).
        layers = {layer["name"]: layer for layer in self.report["layers"]}
        self.assertEqual(layers["conv1"]["live_activation_bytes"], 150_528 + 802_816)
        self.assertEqual(layers["layer1.0.add"]["live_activation_bytes"], 3 * 802_816)
        totals = self.report["totals"]
        self.assertEqual(totals["peak_activation_bytes"], 3 * 802_816)
        self.assertEqual(totals["peak_activation_layer"], "layer1.0.add")
        self.assertGreater(totals["activation_bytes"], totals["peak_activation_bytes"])
        table = npusim(*self.args).stdout
        self.assertIn("activations        peak 2.30 MiB live at layer1.0.add", table)

    def test_no_layer_beats_the_array_peak(self):
        pes = 64 * 64
        totals = self.report["totals"]
        self.assertGreaterEqual(totals["cycles"] * pes, totals["macs"])
        for layer in self.report["layers"]:
            self.assertGreaterEqual(layer["cycles"] * pes, layer["macs"], layer["name"])
            self.assertLessEqual(layer["utilization"], 1.0, layer["name"])

    def test_every_layer_reports_a_bound(self):
        for layer in self.report["layers"]:
            self.assertIn(layer["bound"], ("compute", "memory", "vector", "none"), layer["name"])
            if layer["macs"] > 0 or layer["dram_read_bytes"] > 0:
                self.assertNotEqual(layer["bound"], "none", layer["name"])

    def test_layers_add_up_to_the_total(self):
        totals = self.report["totals"]
        self.assertEqual(sum(l["cycles"] for l in self.report["layers"]), totals["cycles"])
        self.assertEqual(sum(l["macs"] for l in self.report["layers"]), totals["macs"])
        self.assertEqual(sum(l["dram_read_bytes"] for l in self.report["layers"]),
                         totals["dram_read_bytes"])

    def test_json_output_contract(self):
        self.assertEqual(self.report["schema"], "npusim.report/1")
        self.assertEqual(self.report["arch"], "int8_64x64")
        self.assertEqual(self.report["workload"], "resnet50")
        for key in CONTRACT_TOTALS:
            self.assertIn(key, self.report["totals"])
        for key in ("mac", "sram", "dram", "vector", "static"):
            self.assertIn(key, self.report["totals"]["energy_breakdown_pj"])
        for layer in self.report["layers"]:
            for key in CONTRACT_LAYER:
                self.assertIn(key, layer)

    def test_same_run_twice_is_byte_identical(self):
        again = npusim(*self.args, "--format", "json")
        self.assertEqual(again.returncode, 0)
        self.assertEqual(again.stdout, self.result.stdout)

    def test_cycle_breakdown_adds_up(self):
        names = ("compute", "dram_wait", "sram_wait", "vector_wait", "dependency_wait")
        for layer in self.report["layers"]:
            breakdown = layer["cycles_breakdown"]
            self.assertEqual(list(breakdown), list(names), layer["name"])
            self.assertEqual(sum(breakdown.values()), layer["cycles"], layer["name"])
        totals = self.report["totals"]
        for name in names:
            self.assertEqual(sum(l["cycles_breakdown"][name] for l in self.report["layers"]),
                             totals["cycles_breakdown"][name], name)
        self.assertEqual(sum(totals["cycles_breakdown"].values()), totals["cycles"])

    def test_utilization_identity(self):
        """utilization = macs / executed_macs x mapping_efficiency x streaming_fraction x
        compute_fraction, per layer that used the array and for the model (docs/metrics.md)."""
        for item in [*self.report["layers"], self.report["totals"]]:
            if item["executed_macs"] == 0:
                continue
            product = (item["macs"] / item["executed_macs"] * item["mapping_efficiency"]
                       * item["streaming_fraction"] * item["compute_fraction"])
            self.assertAlmostEqual(product, item["utilization"], places=12,
                                   msg=item.get("name", "totals"))
            self.assertLessEqual(item["streaming_fraction"], 1.0, item.get("name", "totals"))

    def test_no_layer_beats_its_roofline(self):
        """A layer's cycles cover its DRAM channel time (>= bytes / bandwidth) and its MACs at the
        peak, so achieved MACs/cycle can never exceed the attainable ones."""
        roof = self.report["roofline"]
        self.assertEqual(roof["peak_macs_per_cycle"], 4096.0)
        self.assertAlmostEqual(roof["dram_bytes_per_cycle"], 12.8e9 / 480e6)
        self.assertAlmostEqual(roof["ridge_macs_per_byte"], 4096 / (12.8e9 / 480e6))
        for layer in self.report["layers"]:
            if layer["macs"] == 0:
                self.assertEqual(layer["attainable_macs_per_cycle"], 0.0)
                continue
            self.assertLessEqual(layer["attainable_macs_per_cycle"], roof["peak_macs_per_cycle"])
            self.assertLessEqual(layer["macs_per_cycle"],
                                 layer["attainable_macs_per_cycle"] * (1 + 1e-12), layer["name"])

    def test_explain_in_json(self):
        self.assertNotIn("explanation", self.report["layers"][0])
        explained = json.loads(npusim(*self.args, "--format", "json", "--explain").stdout)
        for layer in explained["layers"]:
            self.assertIsInstance(layer["explanation"], str)
            self.assertTrue(layer["explanation"].endswith("."), layer["name"])
        by_name = {l["name"]: l["explanation"] for l in explained["layers"]}
        # fc at batch 1: one row per fold, and 2 MiB of weights each used once.
        self.assertIn("a larger batch", by_name["fc"])
        self.assertIn("Compute-bound", by_name["fc"])
        self.assertIn("Memory-bound data movement", by_name["layer1.0.add"])
        self.assertIn("Takes no time", by_name["flatten"])
        # Everything else is the same report.
        del explained["layers"]
        report = dict(self.report)
        del report["layers"]
        self.assertEqual(explained, report)

    def test_explain_after_the_table(self):
        result = npusim(*self.args, "--explain")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertIn("explanations", lines)
        section = lines[lines.index("explanations") + 1:]
        starts = [l for l in section if l.startswith("  ") and not l.startswith("   ")]
        self.assertEqual(len(starts), len(self.report["layers"]))
        self.assertTrue(starts[0].startswith("  conv1 (conv2d, 1x112x112x64, "), starts[0])
        for line in lines:
            self.assertLessEqual(len(line), 120, line)
        # The CSV is unchanged by --explain.
        self.assertEqual(npusim(*self.args, "--format", "csv", "--explain").stdout,
                         npusim(*self.args, "--format", "csv").stdout)

    def test_csv_has_the_layer_columns(self):
        result = npusim(*self.args, "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        self.assertEqual(len(rows), len(self.report["layers"]))
        for key in CONTRACT_LAYER:
            self.assertIn(key, rows[0])
        for key in ("compute", "dram_wait", "sram_wait", "vector_wait", "dependency_wait"):
            self.assertEqual(int(rows[0]["cycles_breakdown." + key]),
                             self.report["layers"][0]["cycles_breakdown"][key])
        self.assertEqual(rows[0]["name"], "conv1")
        self.assertEqual(int(rows[0]["cycles"]), self.report["layers"][0]["cycles"])


class OutputFiles(unittest.TestCase):
    def test_out_dir_and_resolved_config_round_trip(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "run")
            result = npusim("--arch", "configs/int8_32x32.yaml", "--out", out,
                            "--set", "dram.bandwidth_gbps=3.2", "workloads/tiny_cnn.yaml")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(sorted(os.listdir(out)),
                             ["arch.yaml", "layers.csv", "program.asm", "report.json"])
            with open(os.path.join(out, "report.json")) as f:
                first = json.load(f)
            self.assertEqual(first["arch_config"]["dram"]["bandwidth_gbps"], 3.2)
            # The resolved config alone reproduces the run.
            again = report("--arch", os.path.join(out, "arch.yaml"), "workloads/tiny_cnn.yaml")
            self.assertEqual(again["totals"], first["totals"])

    def test_emit_asm_annotates_layers(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "p.asm")
            result = npusim("--arch", "configs/int8_64x64.yaml", "--emit-asm", path,
                            "workloads/tiny_cnn.yaml")
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(path) as f:
                lines = f.read().splitlines()
            code = [l for l in lines if l.strip() and l.strip()[0].isdigit()]
            self.assertTrue(code)
            self.assertTrue(all("; " in l for l in code))
            self.assertTrue(any("mx.matmul" in l and "; conv1" in l for l in code))

    def test_trace_has_a_span_per_busy_instruction(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "trace.json")
            result = npusim("--arch", os.path.join(DATA, "hand_4x4.yaml"), "--trace", path,
                            os.path.join(DATA, "dense4.yaml"))
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(path) as f:
                trace = json.load(f)
            spans = [e for e in trace["traceEvents"] if e["ph"] == "X"]
            # The hand-derived run (docs/timing.md): 3 loads, preload, multiply, requant, store.
            self.assertEqual(len(spans), 7)
            by_instruction = {e["args"]["instruction"]: e for e in spans}
            self.assertEqual(by_instruction[3]["name"], "mx.preload")
            self.assertEqual((by_instruction[3]["args"]["start_cycle"],
                              by_instruction[3]["args"]["cycles"]), (16, 4))
            self.assertEqual((by_instruction[4]["args"]["start_cycle"],
                              by_instruction[4]["args"]["cycles"]), (20, 7))
            self.assertEqual((by_instruction[6]["args"]["start_cycle"],
                              by_instruction[6]["args"]["cycles"]), (35, 13))  # issue 35, done 48
            self.assertAlmostEqual(by_instruction[6]["ts"], 0.035)  # microseconds at 1 GHz

    def test_set_changes_the_result(self):
        base = report("--arch", "configs/int8_64x64.yaml", "workloads/mlp.yaml")
        slow = report("--arch", "configs/int8_64x64.yaml", "--set", "dram.bandwidth_gbps=1.6",
                      "workloads/mlp.yaml")
        self.assertGreater(slow["totals"]["cycles"], base["totals"]["cycles"])

    def test_mapping_objective_traffic_moves_fewer_bytes(self):
        def traffic(totals):
            return totals["dram_read_bytes"] + totals["dram_write_bytes"]
        args = ("--arch", "configs/int8_64x64.yaml", "workloads/resnet.yaml")
        fastest = report(*args)["totals"]
        leanest = report(*args, "--mapping-objective", "traffic")["totals"]
        self.assertEqual(report(*args, "--mapping-objective", "latency")["totals"], fastest)
        self.assertLess(traffic(leanest), traffic(fastest))
        self.assertGreater(leanest["cycles"], fastest["cycles"])


class Functional(unittest.TestCase):
    """--functional runs the program on data: outputs as .npy, data read back on the next run."""

    def run_functional(self, data, out, *extra):
        return npusim("--arch", "configs/int8_32x32.yaml", "--functional", "--data", data,
                      "--out", out, *extra, "workloads/resnet8_cifar.yaml")

    def test_mobilenet_v2_computes_the_same_on_every_mapping(self):
        # The same data through four very different programs: 64x64 weight stationary (two
        # depthwise layers share whole-pixel patches), 32x32 (32 B blocks, other tiles),
        # 128x128 output stationary (depthwise packed into one group) and 64x64 input stationary
        # with 64 KiB input and output buffers (every layer cut into many tiles). Every layer's
        # output must be identical, bit for bit: a mapping may change the time, never the answer.
        import numpy
        designs = {
            "64": ("configs/int8_64x64.yaml",),
            "32": ("configs/int8_32x32.yaml",),
            "128os": ("configs/int8_128x128.yaml", "--set", "array.dataflow=output_stationary"),
            "64is": ("configs/int8_64x64.yaml", "--set", "array.dataflow=input_stationary",
                     "--set", "sram.input.size_kib=64", "--set", "sram.output.size_kib=64"),
        }
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(tmp, "data")
            for name, (arch, *sets) in designs.items():
                result = npusim("--arch", arch, *sets, "--functional", "--data", data, "--out",
                                os.path.join(tmp, name), "workloads/mobilenet_v2.yaml")
                self.assertEqual(result.returncode, 0, result.stderr)
            def outputs(name):
                return sorted(f for f in os.listdir(os.path.join(tmp, name)) if f.endswith(".npy"))
            layers = outputs("64")
            self.assertEqual(len(layers), 66)  # one per program layer
            for name in ("32", "128os", "64is"):
                self.assertEqual(outputs(name), layers)
                for layer in layers:
                    self.assertTrue(numpy.array_equal(
                        numpy.load(os.path.join(tmp, "64", layer)),
                        numpy.load(os.path.join(tmp, name, layer))), f"{name}: {layer}")

    def test_outputs_and_data_round_trip(self):
        import numpy
        with tempfile.TemporaryDirectory() as tmp:
            data, out1, out2 = (os.path.join(tmp, d) for d in ("data", "out1", "out2"))
            first = self.run_functional(data, out1)
            self.assertEqual(first.returncode, 0, first.stderr)
            self.assertIn("functional run", first.stderr)
            image = numpy.load(os.path.join(data, "image.npy"))
            self.assertEqual((image.dtype, image.shape), (numpy.int8, (1, 32, 32, 3)))
            fc = numpy.load(os.path.join(out1, "fc.npy"))
            self.assertEqual((fc.dtype, fc.shape), (numpy.int8, (1, 10)))
            self.assertTrue(os.path.exists(os.path.join(out1, "block2.conv1.npy")))
            # A second run reads the same data and computes the same outputs.
            again = self.run_functional(data, out2)
            self.assertEqual(again.returncode, 0, again.stderr)
            for name in ("stem.conv", "block3.add", "fc", "softmax"):
                self.assertTrue(numpy.array_equal(numpy.load(os.path.join(out1, name + ".npy")),
                                                  numpy.load(os.path.join(out2, name + ".npy"))))
            # Edited input data changes the result.
            numpy.save(os.path.join(data, "image.npy"), (image // 2).astype(numpy.int8))
            edited = self.run_functional(data, out2)
            self.assertEqual(edited.returncode, 0, edited.stderr)
            self.assertFalse(numpy.array_equal(numpy.load(os.path.join(out1, "stem.conv.npy")),
                                               numpy.load(os.path.join(out2, "stem.conv.npy"))))

    def test_float_model_writes_float_outputs(self):
        import numpy
        with tempfile.TemporaryDirectory() as tmp:
            data, out = os.path.join(tmp, "data"), os.path.join(tmp, "out")
            result = npusim("--arch", "configs/fp16_64x64.yaml", "--functional", "--data", data,
                            "--out", out, "workloads/resnet8_cifar.yaml")
            self.assertEqual(result.returncode, 0, result.stderr)
            image = numpy.load(os.path.join(data, "image.npy"))
            self.assertEqual(image.dtype, numpy.float32)
            self.assertFalse(os.path.exists(os.path.join(data, "image.quant.npy")))
            probabilities = numpy.load(os.path.join(out, "softmax.npy"))
            self.assertEqual((probabilities.dtype, probabilities.shape), (numpy.float32, (1, 10)))
            # fp16 softmax outputs sum to 1 within fp16 rounding of ten values.
            self.assertAlmostEqual(float(probabilities.sum()), 1.0, delta=10 * 2 ** -11)
            # Every value is an fp16 value.
            self.assertTrue(numpy.array_equal(probabilities.astype(numpy.float16).astype(numpy.float32),
                                              probabilities))

    def test_wrong_shape_in_data_is_a_user_error(self):
        import numpy
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(tmp, "data")
            os.makedirs(data)
            numpy.save(os.path.join(data, "image.npy"), numpy.zeros((1, 16, 16, 3), numpy.int8))
            result = self.run_functional(data, os.path.join(tmp, "out"))
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn("image.npy: shape [1,16,16,3], expected [1,32,32,3]", result.stderr)

    def test_timing_is_the_same_with_and_without_data(self):
        with tempfile.TemporaryDirectory() as tmp:
            functional = self.run_functional(os.path.join(tmp, "d"), os.path.join(tmp, "o"),
                                             "--format", "json")
            plain = npusim("--arch", "configs/int8_32x32.yaml", "--format", "json",
                           "workloads/resnet8_cifar.yaml")
            # Data changes only what padding reads, never when anything happens. It does change
            # effective_macs: a functional run counts the zero activations each conv/dense layer
            # multiplies (ReLU outputs, padding) instead of assuming none (docs/sparsity.md).
            measured = json.loads(functional.stdout)["totals"]
            declared = json.loads(plain.stdout)["totals"]
            self.assertLess(measured.pop("effective_macs"), declared["macs"])
            self.assertEqual(declared.pop("effective_macs"), declared["macs"])
            self.assertEqual(measured, declared)
            # Every conv/dense layer says what it measured; no other layer does.
            for layer in json.loads(functional.stdout)["layers"]:
                if layer["op"] in ("conv2d", "dense"):
                    self.assertGreater(layer["measured_activation_density"], 0, layer["name"])
                    self.assertLessEqual(layer["measured_activation_density"], 1, layer["name"])
                else:
                    self.assertIsNone(layer["measured_activation_density"])
            for layer in json.loads(plain.stdout)["layers"]:
                self.assertIsNone(layer["measured_activation_density"])


class Errors(unittest.TestCase):
    """User errors: one line naming the problem, exit code 1, nothing written."""

    def assert_user_error(self, result, *fragments):
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stdout, "")
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def test_unknown_set_key_suggests(self):
        self.assert_user_error(
            npusim("--arch", "configs/int8_64x64.yaml", "--set", "sram.input.size_kb=64",
                   "workloads/tiny_cnn.yaml"),
            "sram.input.size_kb", "size_kib")

    def test_wrong_type(self):
        self.assert_user_error(
            npusim("--arch", "configs/int8_64x64.yaml", "--set", "array.rows=many",
                   "workloads/tiny_cnn.yaml"),
            "array.rows")

    def test_missing_files(self):
        self.assert_user_error(npusim("--arch", "configs/nope.yaml", "workloads/tiny_cnn.yaml"),
                               "configs/nope.yaml")
        self.assert_user_error(npusim("--arch", "configs/int8_64x64.yaml", "workloads/nope.yaml"),
                               "workloads/nope.yaml")

    def test_design_that_cannot_fit_a_tile(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "never")
            result = npusim("--arch", os.path.join(DATA, "hand_4x4.yaml"), "--out", out,
                            "workloads/resnet.yaml")
            self.assert_user_error(result, "layer 'conv1'", "no tile fits")
            self.assertFalse(os.path.exists(out))

    def test_program_longer_than_max_instructions(self):
        # ResNet-50 compiles to 24,172 instructions on int8_64x64: a cap of 1,000 stops at the
        # layer that passes it, before anything is simulated or written.
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "never")
            result = npusim("--arch", "configs/int8_64x64.yaml", "--max-instructions", "1000",
                            "--out", out, "workloads/resnet.yaml")
            self.assert_user_error(result, "layer '", "passes 1,000 instructions",
                                   "--max-instructions")
            self.assertFalse(os.path.exists(out))
        for bad in ("0", "-5", "1e3"):
            result = npusim("--arch", "configs/int8_64x64.yaml", "--max-instructions", bad,
                            "workloads/tiny_cnn.yaml")
            self.assertEqual(result.returncode, 2, bad)
            self.assertIn("positive whole number", result.stderr)

    def test_bad_workload_layer(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bad.yaml")
            with open(path, "w") as f:
                f.write("name: bad\ninputs: [{name: x, shape: [8, 8, 4]}]\nlayers:\n"
                        "  - {name: a, op: conv2d, input: x, out_channels: 8, kernel: 1}\n"
                        "  - {name: s, op: add, inputs: [a, x]}\n")
            self.assert_user_error(npusim("--arch", "configs/int8_64x64.yaml", path),
                                   "bad.yaml:5", "'s'")

    def test_usage_errors(self):
        result = npusim("workloads/tiny_cnn.yaml")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--arch", result.stderr)
        self.assertEqual(npusim("--arch", "configs/int8_64x64.yaml", "--format", "xml",
                                "workloads/tiny_cnn.yaml").returncode, 2)
        self.assertEqual(npusim("--arch", "configs/int8_64x64.yaml", "--mapping-objective",
                                "energy", "workloads/tiny_cnn.yaml").returncode, 2)

    def test_help_and_version(self):
        help_run = npusim("--help")
        self.assertEqual(help_run.returncode, 0)
        self.assertIn("Exit codes", help_run.stdout)
        version = npusim("--version")
        self.assertEqual(version.returncode, 0)
        self.assertRegex(version.stdout, r"^npusim \d+\.\d+\.\d+")


class EveryWorkload(unittest.TestCase):
    """Every shipped workload simulates on every shipped config, and the report's MACs and
    parameters are the workload's. The pinned totals follow our counting rules (docs/workloads.md)
    and are those tests/unit/compiler and the files' headers give; the same workload must report
    the same totals on every config. All pairs (14 workloads x 6 configs) take about 10 s, VGG-16 on the 32x32 array the
    longest (~1.4 s); if the set grows past ~30 s, sample the configs, not the workloads."""

    # file -> (MACs, parameters). A new workload needs a line here (test_every_workload_is_pinned).
    TOTALS = {
        "alexnet.yaml": (714_188_480, 61_100_840),
        "bert_base_layer.yaml": (931_135_488, 7_087_872),
        "gpt2_decode_step.yaml": (132_969_216, 123_653_376),
        "lenet5.yaml": (416_520, 61_706),
        "lstm2.yaml": (9_175_040, 921_600),
        "mlp.yaml": (1_878_016, 235_146),
        "mobilenet_v2.yaml": (300_774_272, 3_504_872),
        "resnet.yaml": (4_089_184_256, 25_557_032),
        "resnet_2of4.yaml": (4_089_184_256, 25_557_032),  # the same network, declared 2:4
        "resnet18.yaml": (1_814_073_344, 11_689_512),
        # convs 442,368 + 2 x 2,359,296 + 1,179,648 + 2,359,296 + 131,072 + 1,179,648 +
        # 2,359,296 + 131,072, fc 640; params: convs 76,720 + batchnorm 672 + fc 650.
        "resnet8_cifar.yaml": (12_501_632, 78_042),
        "squeezenet1_1.yaml": (349_151_936, 1_235_496),
        "tiny_cnn.yaml": (51_968, 2_106),
        "vgg16.yaml": (15_470_264_320, 138_357_544),
    }

    @classmethod
    def setUpClass(cls):
        def yamls(folder):
            return sorted(f for f in os.listdir(os.path.join(REPO, folder)) if f.endswith(".yaml"))

        cls.workloads = yamls("workloads")
        cls.configs = yamls("configs")
        cls.runs = {}
        for workload in cls.workloads:
            for config in cls.configs:
                cls.runs[workload, config] = npusim("--arch", f"configs/{config}", "--format",
                                                    "json", f"workloads/{workload}")

    def test_every_pair_simulates(self):
        self.assertGreaterEqual(len(self.workloads), 10)
        self.assertGreaterEqual(len(self.configs), 5)
        for (workload, config), result in self.runs.items():
            with self.subTest(workload=workload, config=config):
                self.assertEqual(result.returncode, 0, result.stderr)
                totals = json.loads(result.stdout)["totals"]
                self.assertGreater(totals["cycles"], 0)
                # No design beats its array's peak (cycles x PEs >= MACs) on any pair.
                self.assertLessEqual(totals["utilization"], 1.0)

    def test_macs_and_params_are_the_workloads(self):
        for workload in self.workloads:
            reported = set()
            for config in self.configs:
                result = self.runs[workload, config]
                if result.returncode == 0:
                    totals = json.loads(result.stdout)["totals"]
                    reported.add((totals["macs"], totals["params"]))
            with self.subTest(workload=workload):
                self.assertEqual(len(reported), 1, f"totals differ across configs: {reported}")
                if workload in self.TOTALS:
                    self.assertEqual(reported.pop(), self.TOTALS[workload])

    def test_simulation_agrees_with_the_tilers_estimates(self):
        # The tiler picks each GEMM layer's tiles by an estimate of their time. When the simulated
        # time drifts far from it, either the code generator's instruction order stalls the
        # controller or the cost model misses a cost, and either way the tiles were chosen blind:
        # before the compiler pipelined its loads, AlexNet on int8_32x32 with double-buffered
        # preload ran 1.28x its estimates (docs/compiler.md). On the shipped pairs the ratio is
        # 0.89 to 1.09.
        for (workload, config), result in self.runs.items():
            if result.returncode != 0:
                continue
            simulated = estimated = 0
            for layer in json.loads(result.stdout)["layers"]:
                found = re.search(r"estimate (\d+) cycles", layer["mapping"])
                if found:
                    estimated += int(found.group(1))
                    simulated += layer["cycles"]
            with self.subTest(workload=workload, config=config):
                self.assertGreater(estimated, 0)
                self.assertGreater(simulated / estimated, 0.85)
                self.assertLess(simulated / estimated, 1.15)

    def test_every_workload_is_pinned(self):
        missing = [w for w in self.workloads if w not in self.TOTALS]
        self.assertEqual(missing, [], "add their MACs and parameters to EveryWorkload.TOTALS")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--npusim", required=True)
    options, rest = parser.parse_known_args()
    NPUSIM = os.path.abspath(options.npusim)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
