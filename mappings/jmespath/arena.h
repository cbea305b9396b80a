#pragma once
// Bump allocator for values made during one evaluation (strings built by
// functions, projection results). Everything is freed at once when the arena
// goes away, so evaluation never frees piecemeal; only trivially destructible
// objects may live here. Not thread-safe: one arena per evaluating thread.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string_view>
#include <type_traits>

namespace hub::jmes {

class Arena {
 public:
  Arena() noexcept : cur_(inline_), end_(inline_ + sizeof inline_) {}
  ~Arena() { releaseBlocks(); }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* allocate(std::size_t bytes, std::size_t align = alignof(std::max_align_t)) {
    char* p = alignUp(cur_, align);
    if (bytes <= static_cast<std::size_t>(end_ - p)) {
      cur_ = p + bytes;
      return p;
    }
    return grow(bytes, align);
  }

  template <class T>
  T* allocArray(std::size_t n) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    return static_cast<T*>(allocate(sizeof(T) * (n == 0 ? 1 : n), alignof(T)));
  }

  template <class T, class... Args>
  T* make(Args&&... args) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    return new (allocate(sizeof(T), alignof(T))) T(static_cast<Args&&>(args)...);
  }

  std::string_view copy(std::string_view s) {
    char* p = static_cast<char*>(allocate(s.size() + 1, 1));
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  // Forgets everything allocated so far. Keeps the largest block for the next
  // round: a long-lived arena (one per thread) then stops calling malloc for
  // big blocks, which in glibc also sweeps every small free chunk.
  void reset();

 private:
  static char* alignUp(char* p, std::size_t a) {
    auto v = reinterpret_cast<std::uintptr_t>(p);
    return reinterpret_cast<char*>((v + a - 1) & ~(static_cast<std::uintptr_t>(a) - 1));
  }
  void* grow(std::size_t bytes, std::size_t align);
  void releaseBlocks();

  struct Block {
    Block* next;
    std::size_t size;
  };
  Block* blocks_ = nullptr;
  Block* spare_ = nullptr;
  std::size_t nextBlock_ = 16 * 1024;
  char* cur_;
  char* end_;
  alignas(std::max_align_t) char inline_[2048];
};

}  // namespace hub::jmes
