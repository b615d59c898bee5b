// GoogleTest inside the SystemC kernel: main() silences the banner and hands over to SystemC,
// sc_main runs the tests. A SystemC warning or error fails the test that raised it.
#include <gtest/gtest.h>

#include <systemc>

#include <cstdlib>

namespace {

class FailOnSystemcReports : public testing::EmptyTestEventListener {
  void OnTestStart(const testing::TestInfo&) override {
    sc_core::sc_report_handler::set_actions(sc_core::SC_WARNING, sc_core::SC_THROW);
    sc_core::sc_report_handler::set_actions(sc_core::SC_ERROR, sc_core::SC_THROW);
  }
};

}  // namespace

int sc_main(int argc, char* argv[]) {
  testing::InitGoogleTest(&argc, argv);
  testing::UnitTest::GetInstance()->listeners().Append(new FailOnSystemcReports);
  return RUN_ALL_TESTS();
}

int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}
