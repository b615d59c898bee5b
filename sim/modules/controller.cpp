#include "sim/modules/controller.h"

#include <memory>
#include <string>

namespace npu::sim {

Controller::Controller(sc_core::sc_module_name name, const arch::ControllerConfig& config,
                       ExecutionContext& context)
    : sc_core::sc_module(name), m_config(config), m_context(context) {
  for (int s = 0; s < isa::kStreamCount; ++s) {
    std::string queue_name = std::string(isa::to_string(static_cast<isa::Stream>(s))) + "_queue";
    m_queues[s] = std::make_unique<InstructionQueue>(queue_name.c_str(), m_config.queue_depth);
  }
  SC_THREAD(dispatch);
}

void Controller::dispatch() {
  const auto& code = m_context.program.code;
  for (uint32_t index = 0; index < code.size(); ++index) {
    const isa::Stream stream = isa::stream_of(code[index]);
    InstructionQueue& target = queue(stream);
    const uint64_t before = m_context.clock.now_cycles();
    target.write(index);
    m_stats.stall_cycles += m_context.clock.now_cycles() - before;
    ++m_stats.dispatched[static_cast<int>(stream)];
  }
}

}  // namespace npu::sim
