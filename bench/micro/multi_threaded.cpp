// multi_threaded: makes this process multi-threaded before any benchmark
// runs, by starting and joining one thread during static initialisation.
//
// Why: libstdc++ skips the atomic instructions of shared_ptr reference
// counting while glibc reports the process single-threaded
// (__libc_single_threaded), and glibc never resets that once a thread has
// existed. The daemon always runs several threads, so without this the
// router and outbound-queue benchmarks would count references far more
// cheaply than the daemon does (about 1 ns against 15 ns for a copy and
// release here). The run's context line `libc_single_threaded` shows it.
#include <benchmark/benchmark.h>

#include <sys/single_threaded.h>

#include <thread>

namespace {

/// Runs once, before main(): one short-lived thread, then a note in the
/// benchmark context of what glibc now reports.
const bool made_multi_threaded = [] {
  std::thread([] {}).join();
  benchmark::AddCustomContext("libc_single_threaded", __libc_single_threaded ? "yes" : "no");
  return true;
}();

}  // namespace
