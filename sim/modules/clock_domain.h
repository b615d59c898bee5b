#pragma once
// Converts between clock cycles and SystemC time for the NPU's single clock domain. Modules
// advance time with one wait per operation (wait_cycles), never by ticking a clock. The period is
// rounded to the kernel's time resolution; since every wait is a whole number of periods, cycle
// counts stay exact.

#include <systemc>

#include <cstdint>

namespace npu::sim {

class ClockDomain {
 public:
  explicit ClockDomain(double freq_mhz)
      : m_period(sc_core::sc_time(1e6 / freq_mhz, sc_core::SC_PS)) {}

  const sc_core::sc_time& period() const { return m_period; }
  uint64_t now_cycles() const { return sc_core::sc_time_stamp().value() / m_period.value(); }
  void wait_cycles(uint64_t cycles) const {
    if (cycles > 0) sc_core::wait(m_period * static_cast<double>(cycles));
  }
  // Waits until the absolute cycle `cycle` (no-op if already there).
  void wait_until(uint64_t cycle) const {
    uint64_t now = now_cycles();
    if (cycle > now) wait_cycles(cycle - now);
  }

 private:
  sc_core::sc_time m_period;
};

}  // namespace npu::sim
