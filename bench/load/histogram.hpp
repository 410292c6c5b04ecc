// histogram: a log-linear latency histogram in the manner of HdrHistogram.
// Values below 2^(sub_bits+1) ns are counted exactly; above, each power of two
// is split into 2^sub_bits equal buckets, so a reported value is within
// 1/2^sub_bits (0.8 %) of the true one. record() is a few shifts and an
// increment: cheap enough to call for every delivery.
#pragma once

#include <array>
#include <cstdint>

namespace chatbus::bench {

class LatencyHistogram {
 public:
  /// Counts one latency of `ns` nanoseconds (values past ~2^42 ns are clamped).
  void record(std::uint64_t ns) {
    ++counts_[index_of(ns)];
    ++total_;
    if (ns > max_) max_ = ns;
  }

  /// The smallest bucket value v such that a fraction `q` (0..1) of the
  /// recorded latencies are <= v (upper edge of the bucket; 0 when empty).
  std::uint64_t percentile(double q) const;
  std::uint64_t count() const { return total_; }
  std::uint64_t max() const { return max_; }

 private:
  static constexpr unsigned sub_bits = 7;                     ///< 128 buckets per octave
  static constexpr std::uint64_t sub_count = 1u << sub_bits;  ///< buckets per octave
  static constexpr unsigned octaves = 36;                     ///< up to 2^43 ns (~2.4 h)
  static constexpr std::size_t bucket_count = 2 * sub_count + octaves * sub_count;

  static std::size_t index_of(std::uint64_t v) {
    if (v < 2 * sub_count) return static_cast<std::size_t>(v);
    const unsigned msb = 63u - static_cast<unsigned>(__builtin_clzll(v));
    const unsigned shift = msb - sub_bits;  // >= 1
    const std::size_t i = 2 * sub_count + (shift - 1) * sub_count +
                          static_cast<std::size_t>((v >> shift) - sub_count);
    return i < bucket_count ? i : bucket_count - 1;
  }
  static std::uint64_t upper_edge(std::size_t index);

  std::array<std::uint64_t, bucket_count> counts_{};  ///< per bucket
  std::uint64_t total_ = 0;                           ///< recorded values
  std::uint64_t max_ = 0;                             ///< exact largest value
};

}  // namespace chatbus::bench
