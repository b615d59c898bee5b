// The command line on ONNX models with and without their weights: a functional run says where its
// weights came from (the model, or the seed when the model holds none), and --explain reports the
// measured weight density. One run_cli per test: each elaborates SystemC, once per process.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/functional/npy.h"
#include "tests/common/onnx_model_builder.h"
#include "tools/cli.h"

namespace npu::tools {
namespace {

using testing_support::ModelBuilder;
using testing_support::Weights;

const std::string kRepo = NPU_REPO_DIR;

// x [1, 2, 4, 4] -> Conv 3x3 pads 1 with bias (2 outputs, 36 weights, every 4th zero: 9) ->
// Flatten -> Gemm [3, 32] with transB (96 weights, none zero).
std::string write_model(Weights storage, const std::string& name) {
  ModelBuilder b(13, storage);
  b.input("x", {1, 2, 4, 4});
  auto weight = [&](const std::string& weight_name, const std::vector<int64_t>& dims,
                    int zero_every) {
    if (storage != Weights::kData) return b.weight(weight_name, dims);
    std::vector<float> values(static_cast<size_t>(compiler::element_count(dims)));
    for (size_t i = 0; i < values.size(); ++i) {
      const bool zero = zero_every > 0 && i % static_cast<size_t>(zero_every) == 0;
      values[i] = zero ? 0.0f : 0.01f * static_cast<float>(static_cast<int>(i % 9) - 4) + 0.005f;
    }
    b.constant(weight_name, dims, values);
  };
  weight("conv.w", {2, 2, 3, 3}, 4);
  weight("conv.b", {2}, 0);
  b.node("Conv", "conv", {"x", "conv.w", "conv.b"}).ints("pads", {1, 1, 1, 1});
  b.node("Flatten", "flat", {"conv"}).i("axis", 1);
  weight("fc.w", {3, 32}, 0);
  b.node("Gemm", "fc", {"flat", "fc.w"}).i("transB", 1);
  b.output("fc");
  const std::filesystem::path path = std::filesystem::path(testing::TempDir()) / (name + ".onnx");
  std::ofstream(path, std::ios::binary) << b.bytes();
  return path.string();
}

struct Result {
  int code;
  std::string out, err;
};

Result run(std::vector<std::string> args) {
  std::vector<const char*> argv = {"npusim"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  std::ostringstream out, err;
  const int code = run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

TEST(CliOnnxWeights, AFunctionalRunUsesTheModelsWeights) {
  const std::string model = write_model(Weights::kData, "with_weights");
  const Result result = run({"--arch", kRepo + "/configs/int8_32x32.yaml", "--functional", model});
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.err.find("; weights from " + model + "\n"), std::string::npos) << result.err;
}

// With --data, the model's weights are written there, and an int8 bias is quantized at the input
// scale the directory gives (s_in x s_w[c]), not the generated one.
TEST(CliOnnxWeights, Int8WeightsGoToTheDataDirectoryAtItsInputScale) {
  const std::string model = write_model(Weights::kData, "to_data_dir");
  const std::filesystem::path dir = std::filesystem::path(testing::TempDir()) / "onnx_data_dir";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  functional::write_npy((dir / "x.quant.npy").string(), {2}, std::vector<double>{0.1, 0});
  const Result result = run({"--arch", kRepo + "/configs/int8_32x32.yaml", "--functional", "--data",
                             dir.string(), model});
  ASSERT_EQ(result.code, 0) << result.err;
  // The model's values: conv.w[i] = 0 every 4th, else 0.01 (i % 9 - 4) + 0.005; conv.b likewise.
  auto value = [](size_t i, int zero_every) {
    const bool zero = zero_every > 0 && i % static_cast<size_t>(zero_every) == 0;
    return zero ? 0.0f : 0.01f * static_cast<float>(static_cast<int>(i % 9) - 4) + 0.005f;
  };
  const std::vector<float> scales =
      functional::read_npy((dir / "conv.weight_scale.npy").string()).as<float>();
  const std::vector<int8_t> q =
      functional::read_npy((dir / "conv.weight.npy").string()).as<int8_t>();
  const std::vector<int32_t> bias =
      functional::read_npy((dir / "conv.bias.npy").string()).as<int32_t>();
  ASSERT_EQ(scales.size(), 2u);
  ASSERT_EQ(q.size(), 36u);
  for (size_t o = 0; o < 2; ++o) {
    float largest = 0;
    for (size_t j = 0; j < 18; ++j) largest = std::max(largest, std::fabs(value(o * 18 + j, 4)));
    EXPECT_FLOAT_EQ(scales[o], largest / 127);
    // OHWI: q[((o * 3 + y) * 3 + x) * 2 + c] holds ONNX w[((o * 2 + c) * 3 + y) * 3 + x].
    EXPECT_EQ(q[((o * 3 + 1) * 3 + 2) * 2 + 1],
              static_cast<int8_t>(std::round(value(((o * 2 + 1) * 3 + 1) * 3 + 2, 4) / scales[o])));
    EXPECT_EQ(bias[o], static_cast<int32_t>(std::round(value(o, 0) / (0.1 * scales[o]))));
  }
}

TEST(CliOnnxWeights, AStrippedModelRunsOnGeneratedWeightsAndSaysWhy) {
  const std::string model = write_model(Weights::kDimsOnly, "stripped");
  const Result result = run({"--arch", kRepo + "/configs/bf16_64x64.yaml", "--functional", model});
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.err.find("; weights generated from seed 20261121, since " + model +
                            ": node 'conv' (Conv): weight 'conv.w' holds no values"),
            std::string::npos)
      << result.err;
}

TEST(CliOnnxWeights, ExplainReportsTheMeasuredWeightDensity) {
  const std::string model = write_model(Weights::kData, "density");
  const Result result =
      run({"--arch", kRepo + "/configs/int8_32x32.yaml", "--explain", "--format", "json", model});
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.out.find("Measured weight density 0.7500: 9 of the model's 36 weights are "
                            "zero (timing does not use it)."),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("Measured weight density 1.0000: 0 of the model's 96 weights"),
            std::string::npos);
}

TEST(CliOnnxWeights, ExplainOnAStrippedModelMeasuresNothing) {
  const std::string model = write_model(Weights::kDimsOnly, "density_stripped");
  const Result result = run({"--arch", kRepo + "/configs/int8_32x32.yaml", "--explain", model});
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out.find("Measured weight density"), std::string::npos);
  EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace npu::tools
