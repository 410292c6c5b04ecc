// The counting operator new of alloc_counter.hpp. Only the plain and array
// forms are replaced: the nothrow forms call them, and the aligned forms,
// which the components under test do not use, keep their own allocator.
// The matching deletes go to free(), as the library's own do.
#include "alloc_counter.hpp"

#include <cstdlib>
#include <new>

namespace {

/// Calls of operator new on this thread. Zero-initialised TLS, so it is
/// valid even for allocations made before main().
thread_local std::uint64_t allocations = 0;

void* counted_malloc(std::size_t size) {
  ++allocations;
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}

}  // namespace

std::uint64_t chatbus::bench::allocation_count() noexcept { return allocations; }

void* operator new(std::size_t size) { return counted_malloc(size); }
void* operator new[](std::size_t size) { return counted_malloc(size); }
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
