// signal_watch: SIGTERM, SIGINT and SIGHUP delivered as events on an io_context.
//
// The signals are blocked in the constructing thread, so every thread it
// starts afterwards inherits the mask and none of them is ever interrupted;
// they are read from a signalfd instead. (An asynchronous handler, as
// asio::signal_set installs, can land on any thread; under ThreadSanitizer
// such a signal was sometimes never handled.) Construct it before starting
// any thread. Callbacks run on the io_context's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <functional>

namespace chatbus {

class SignalWatch {
 public:
  /// Throws std::system_error when the signalfd cannot be made.
  SignalWatch(boost::asio::io_context& context, std::function<void(int)> on_signal);

  /// Calls on_signal for every SIGTERM/SIGINT/SIGHUP until cancel().
  void start();
  void cancel();

 private:
  void wait();

  boost::asio::posix::stream_descriptor descriptor_;  ///< the signalfd
  std::function<void(int)> on_signal_;                ///< gets the signal number
};

}  // namespace chatbus
