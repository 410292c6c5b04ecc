// line_framer: splits a byte stream into protocol lines (PROTOCOL.md,
// "Framing"). It does no I/O: the session feeds it whatever it read and gets
// back complete lines, or notice of a line over `max_line` that was thrown
// away. Only an unfinished line is copied (into `partial_`); complete lines
// are handed out as views into the caller's buffer.
//
// Not thread-safe: one framer per session, used on the session's thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chatbus {

/// What one call of the callback reports.
enum class FrameKind {
  line,     ///< a complete line, without its LF and a CR right before it
  too_long  ///< a line longer than max_line, read to its end and discarded
};

class LineFramer {
 public:
  explicit LineFramer(std::size_t max_line) : max_line_(max_line) {}

  /// The limit this framer was made with (a reload changes it for new
  /// connections only).
  std::size_t max_line() const { return max_line_; }

  /// Feeds `data`; calls `on_frame(FrameKind, std::string_view)` for every
  /// frame it completes, in order. The callback returns false to stop: the
  /// rest of `data` is then dropped (used after QUIT or a closing error).
  /// Returns false if the callback stopped it.
  template <class OnFrame>
  bool feed(std::string_view data, OnFrame&& on_frame);

  /// True while part of a line is buffered or being discarded.
  bool mid_line() const { return discarding_ || !partial_.empty(); }

  /// Gives back the partial-line buffer's memory once it is not needed, so
  /// an idle connection holds no read buffer.
  void release_memory() {
    if (partial_.empty()) std::string().swap(partial_);
  }

 private:
  static std::string_view strip_cr(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }

  /// Buffers an unfinished tail, or starts discarding once it cannot fit.
  void keep_tail(std::string_view tail) {
    if (discarding_) return;
    // A line fits when its bytes plus the LF are at most max_line_.
    if (partial_.size() + tail.size() + 1 > max_line_) {
      discarding_ = true;
      partial_.clear();
      return;
    }
    partial_.append(tail);
  }

  std::size_t max_line_;    ///< longest accepted line, counting its LF
  std::string partial_;     ///< start of a line whose LF has not arrived yet
  bool discarding_ = false; ///< inside an overlong line: dropping bytes to its LF
};

template <class OnFrame>
bool LineFramer::feed(std::string_view data, OnFrame&& on_frame) {
  while (!data.empty()) {
    const std::size_t lf = data.find('\n');
    if (lf == std::string_view::npos) {
      keep_tail(data);
      return true;
    }
    const std::string_view head = data.substr(0, lf);
    data.remove_prefix(lf + 1);
    bool go_on;
    if (discarding_) {
      discarding_ = false;
      go_on = on_frame(FrameKind::too_long, std::string_view());
    } else if (partial_.empty()) {
      go_on = head.size() + 1 > max_line_ ? on_frame(FrameKind::too_long, std::string_view())
                                          : on_frame(FrameKind::line, strip_cr(head));
    } else if (partial_.size() + head.size() + 1 > max_line_) {
      partial_.clear();
      go_on = on_frame(FrameKind::too_long, std::string_view());
    } else {
      partial_.append(head);
      go_on = on_frame(FrameKind::line, strip_cr(partial_));
      partial_.clear();
    }
    if (!go_on) return false;
  }
  return true;
}

}  // namespace chatbus
