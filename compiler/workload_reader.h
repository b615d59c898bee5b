#pragma once
// Reads a workload YAML file (the format of docs/workloads.md) into the graph IR.
//
// The file lists graph inputs and then layers, each naming its producers; the reader requires
// every producer to be listed earlier, so the graph comes out in topological order without a sort
// and a misplaced layer is reported where the user wrote it. Every mapping is read strictly
// (unknown keys are errors, with a did-you-mean), and shape inference runs before the graph is
// returned, so a graph from here always has its shapes, MACs and parameters filled in.

#include <string>

#include "compiler/graph.h"

namespace npu::compiler {

// Reads a workload YAML file, builds the graph in topological order, runs shape inference.
// Throws npu::UserError with one line naming file:line:col, the layer, and what was expected.
Graph read_workload(const std::string& path);

// The same, from YAML text; `source_name` stands for the file name in errors and
// Graph::source_path.
Graph parse_workload(const std::string& yaml_text, const std::string& source_name);

}  // namespace npu::compiler
