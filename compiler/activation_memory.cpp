#include "compiler/activation_memory.h"

#include <algorithm>
#include <numeric>

namespace npu::compiler {
namespace {

// For each entry of Program::tensors, the index of the outermost entry whose bytes contain it: a
// tensor written in place inside another (a concat's input) belongs to that one's storage.
std::vector<size_t> outermost_tensor(const std::vector<isa::DramTensor>& tensors) {
  std::vector<size_t> order(tensors.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (tensors[a].addr != tensors[b].addr) return tensors[a].addr < tensors[b].addr;
    return tensors[a].bytes > tensors[b].bytes;
  });
  std::vector<size_t> outer(tensors.size());
  bool open = false;
  size_t current = 0;
  for (size_t t : order) {
    const uint64_t end = tensors[t].addr + tensors[t].bytes;
    if (open && tensors[t].addr >= tensors[current].addr &&
        end <= tensors[current].addr + tensors[current].bytes && tensors[t].bytes > 0) {
      outer[t] = current;
    } else {
      outer[t] = t;
      current = t;
      open = true;
    }
  }
  return outer;
}

}  // namespace

ActivationMemory activation_memory(const Graph& graph, const CompiledModel& model) {
  const std::vector<isa::DramTensor>& tensors = model.program.tensors;
  const int64_t layer_count = static_cast<int64_t>(model.layers.size());
  const size_t graph_size = graph.layers.size();

  // Which program layer writes each graph tensor (-1: a graph input, there from the start) and
  // the last program layer that reads it from outside its own fused layer.
  std::vector<int64_t> producer(graph_size, -1);
  std::vector<int64_t> last_reader(graph_size, -1);
  std::vector<bool> read_by_anyone(graph_size, false);
  for (int64_t p = 0; p < layer_count; ++p) {
    const FusedLayer& fused = model.layers[static_cast<size_t>(p)].fused;
    std::vector<int> members = fused.absorbed;
    members.push_back(fused.anchor);
    for (int member : members) producer[static_cast<size_t>(member)] = p;
    for (int member : members) {
      for (int input : graph.layers[static_cast<size_t>(member)].inputs) {
        read_by_anyone[static_cast<size_t>(input)] = true;
        if (std::find(members.begin(), members.end(), input) != members.end()) continue;
        int64_t& last = last_reader[static_cast<size_t>(input)];
        last = std::max(last, p);
      }
    }
  }

  // Each storage tensor's life, from the earliest writer of anything it holds to the latest
  // reader; a tensor nobody reads is a model output, held to the end.
  const std::vector<size_t> outer = outermost_tensor(tensors);
  std::vector<int64_t> first(tensors.size(), layer_count);
  std::vector<int64_t> last(tensors.size(), -1);
  std::vector<bool> activation(tensors.size(), false);
  for (size_t g = 0; g < graph_size && g < model.tensor_of.size(); ++g) {
    if (model.tensor_of[g] < 0) continue;
    const size_t storage = outer[static_cast<size_t>(model.tensor_of[g])];
    activation[storage] = true;
    first[storage] = std::min(first[storage], std::max<int64_t>(producer[g], 0));
    const int64_t held_to = read_by_anyone[g] ? last_reader[g] : layer_count - 1;
    last[storage] = std::max({last[storage], held_to, std::max<int64_t>(producer[g], 0)});
  }

  ActivationMemory memory;
  memory.live_bytes.assign(static_cast<size_t>(layer_count), 0);
  for (size_t t = 0; t < tensors.size(); ++t) {
    if (!activation[t]) continue;
    memory.total_bytes += tensors[t].bytes;
    for (int64_t p = first[t]; p <= last[t] && p < layer_count; ++p) {
      memory.live_bytes[static_cast<size_t>(p)] += tensors[t].bytes;
    }
  }
  return memory;
}

}  // namespace npu::compiler
