#pragma once
// How many reduction rows a weight-stationary fold covers when the array skips unstructured zero
// weights (docs/sparsity.md, "Skipping unstructured weights: load imbalance").
//
// Each PE column packs the nonzero weights of its output channel into its R PE rows, so a fold can
// cover more than R reduction rows, but all columns share one preload and one stream: the fold
// ends where its busiest column runs out of PE rows. With zeros independent at density d, a
// column's nonzeros among k rows are Binomial(k, d), and the fold is sized by the expected maximum
// over the columns sharing it, not by the mean k x d.

#include <cstdint>

namespace npu::compiler {

// E[max of `lanes` independent Binomial(rows, density) counts], computed exactly:
// sum over j = 0 .. rows-1 of (1 - F(j)^lanes), F the binomial CDF.
double expected_busiest_lane(int64_t lanes, int64_t rows, double density);

// The largest number of reduction rows k whose expected busiest column holds at most `pe_rows`
// nonzeros: E[max over `lanes` columns of Binomial(k, density)] <= pe_rows. At least pe_rows (a
// fold of R rows always fits), at most floor(pe_rows / density), the imbalance-free ideal that a
// single column (lanes = 1) reaches. Requires 0 < density <= 1, pe_rows >= 1, lanes >= 1.
int64_t unstructured_fold_rows(int64_t pe_rows, int64_t lanes, double density);

// A fold of k reduction rows brings k inputs per step through the input port, which carries
// `port_operands` of them per cycle (0: unlimited, an ideal memory): past that a step takes
// ceil(k / port_operands) cycles. Of the imbalance-limited `fold_rows` and the most rows one
// cycle feeds (never fewer than the PE rows), returns the one with the fewer cycles per reduction
// row, (steps x ceil(k / port) + fold_overhead) / k for a fold streaming `steps` rows and paying
// `fold_overhead` cycles of preload, fill and drain; on a tie the deeper fold.
int64_t port_fed_fold_rows(int64_t fold_rows, int64_t pe_rows, int64_t port_operands,
                           int64_t steps, int64_t fold_overhead);

}  // namespace npu::compiler
