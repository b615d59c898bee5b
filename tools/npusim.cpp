// The npusim executable. Its own main() replaces libsystemc's so that the kernel's banner, which
// the library prints before sc_main runs unless told not to, never reaches a report on stdout.
#include <systemc>

#include <cstdlib>
#include <iostream>

#include "tools/cli.h"

int sc_main(int argc, char* argv[]) {
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  return npu::tools::run_cli(argc, argv, std::cout, std::cerr);
}

int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
