#include "compiler/unstructured_skipping.h"

#include <algorithm>

#include <cassert>
#include <cmath>

namespace npu::compiler {

double expected_busiest_lane(int64_t lanes, int64_t rows, double density) {
  assert(lanes >= 1 && rows >= 0 && density > 0 && density <= 1);
  if (density >= 1) return static_cast<double>(rows);
  // E[max] = sum over j >= 0 of P(max > j) = sum of (1 - P(X <= j)^lanes): the maximum is at most
  // j exactly when every lane is. The pmf comes from log-gamma so that rows in the thousands
  // neither overflow nor underflow.
  const double log_d = std::log(density);
  const double log_not_d = std::log1p(-density);
  const double n = static_cast<double>(rows);
  double cdf = 0;
  double expected = 0;
  for (int64_t j = 0; j < rows; ++j) {
    const double x = static_cast<double>(j);
    cdf += std::exp(std::lgamma(n + 1) - std::lgamma(x + 1) - std::lgamma(n - x + 1) + x * log_d +
                    (n - x) * log_not_d);
    expected += 1.0 - std::pow(std::fmin(cdf, 1.0), static_cast<double>(lanes));
  }
  return expected;
}

int64_t unstructured_fold_rows(int64_t pe_rows, int64_t lanes, double density) {
  assert(pe_rows >= 1 && lanes >= 1 && density > 0 && density <= 1);
  // The expected maximum grows with k, so the largest k that fits is found by bisection between
  // R (always fits: no column can hold more than R nonzeros of R rows) and R / d (the mean alone
  // fills R there; the maximum of several columns is above it). The small tolerance keeps a
  // single column's floating-point k x d from rounding just above R.
  const double limit = static_cast<double>(pe_rows) + 1e-9;
  int64_t fits = pe_rows;
  int64_t too_many = static_cast<int64_t>(std::floor(static_cast<double>(pe_rows) / density)) + 1;
  while (too_many - fits > 1) {
    const int64_t mid = fits + (too_many - fits) / 2;
    if (expected_busiest_lane(lanes, mid, density) <= limit) {
      fits = mid;
    } else {
      too_many = mid;
    }
  }
  return fits;
}

int64_t port_fed_fold_rows(int64_t fold_rows, int64_t pe_rows, int64_t port_operands,
                           int64_t steps, int64_t fold_overhead) {
  if (port_operands <= 0 || fold_rows <= port_operands) return fold_rows;
  const int64_t fed = std::max(pe_rows, port_operands);
  if (fed >= fold_rows) return fold_rows;
  auto cycles = [&](int64_t rows) {
    return steps * ((rows + port_operands - 1) / port_operands) + fold_overhead;
  };
  // Cycles per reduction row, compared without division: c1 / k1 < c2 / k2 as c1 k2 < c2 k1.
  return cycles(fed) * fold_rows < cycles(fold_rows) * fed ? fed : fold_rows;
}

}  // namespace npu::compiler
