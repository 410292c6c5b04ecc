// histogram: percentile read-out (see histogram.hpp).
#include "histogram.hpp"

#include <cmath>

namespace chatbus::bench {

std::uint64_t LatencyHistogram::upper_edge(std::size_t index) {
  if (index < 2 * sub_count) return index;
  const std::size_t rel = index - 2 * sub_count;
  const unsigned shift = static_cast<unsigned>(rel / sub_count) + 1;
  const std::uint64_t top = sub_count + rel % sub_count;
  return ((top + 1) << shift) - 1;
}

std::uint64_t LatencyHistogram::percentile(double q) const {
  if (total_ == 0) return 0;
  const double wanted = std::ceil(q * static_cast<double>(total_));
  const std::uint64_t rank = wanted < 1.0 ? 1 : static_cast<std::uint64_t>(wanted);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < bucket_count; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const std::uint64_t edge = upper_edge(i);
      return edge < max_ ? edge : max_;
    }
  }
  return max_;
}

}  // namespace chatbus::bench
