// fuzz_framing: LineFramer must frame a stream the same way however it is
// split into reads. The input's first bytes choose the chunk sizes and
// max_line; the rest is the stream, fed in one call, byte by byte, and in
// those chunks. The three frame sequences must be identical, and every line
// must be shorter than max_line and hold no LF. They must also equal what a
// plain reference framer gives: split at LF, drop one CR right before it,
// too_long when the bytes plus the LF pass max_line. (A line may still end
// in CR: PROTOCOL.md drops only the CR directly before the LF, so "a\r\r\n"
// is the line "a\r".)
#include "chatbus/line_framer.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using Frames = std::vector<std::pair<chatbus::FrameKind, std::string>>;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

/// Feeds `stream` in pieces of the sizes `next_size` returns. Bytes after
/// the last LF are not a line and give no frame.
template <class NextSize>
Frames frame(std::string_view stream, std::size_t max_line, NextSize&& next_size) {
  chatbus::LineFramer framer(max_line);
  Frames frames;
  auto on_frame = [&](chatbus::FrameKind kind, std::string_view line) {
    check(kind == chatbus::FrameKind::line || line.empty());
    frames.emplace_back(kind, std::string(line));
    return true;
  };
  while (!stream.empty()) {
    const std::size_t n = std::min(next_size(), stream.size());
    check(framer.feed(stream.substr(0, n), on_frame));
    stream.remove_prefix(n);
  }
  return frames;
}

/// The reference framer, straight from PROTOCOL.md, "Framing".
Frames reference(std::string_view stream, std::size_t max_line) {
  Frames frames;
  while (!stream.empty()) {
    const std::size_t lf = stream.find('\n');
    const bool has_lf = lf != std::string_view::npos;
    if (!has_lf) break;  // an unterminated tail is not a line
    std::string_view line = stream.substr(0, has_lf ? lf : stream.size());
    stream.remove_prefix(has_lf ? lf + 1 : stream.size());
    if (line.size() + 1 > max_line) {
      frames.emplace_back(chatbus::FrameKind::too_long, std::string());
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    frames.emplace_back(chatbus::FrameKind::line, std::string(line));
  }
  return frames;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  // Byte 0: max_line (2..257, small so overlong lines are common).
  const std::size_t max_line = 2 + data[0];
  // Bytes 1..3: chunk sizes cycled through (1..256).
  const std::size_t sizes[3] = {1u + data[1], 1u + data[2], 1u + data[3]};
  const std::string_view stream(reinterpret_cast<const char*>(data) + 4, size - 4);

  const Frames whole = frame(stream, max_line, [&] { return stream.size() + 1; });
  const Frames bytes = frame(stream, max_line, [] { return std::size_t{1}; });
  std::size_t turn = 0;
  const Frames chunks = frame(stream, max_line, [&] { return sizes[turn++ % 3]; });

  check(whole == bytes);
  check(whole == chunks);
  check(whole == reference(stream, max_line));
  for (const auto& [kind, line] : whole) {
    if (kind != chatbus::FrameKind::line) continue;
    check(line.size() < max_line);
    check(line.find('\n') == std::string::npos);
  }
  return 0;
}
