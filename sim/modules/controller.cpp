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
    queue(isa::stream_of(code[index])).write(index);
  }
}

}  // namespace npu::sim
