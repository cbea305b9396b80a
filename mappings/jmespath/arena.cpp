#include "mappings/jmespath/arena.h"

#include <algorithm>

namespace hub::jmes {

void* Arena::grow(std::size_t bytes, std::size_t align) {
  const std::size_t need = sizeof(Block) + bytes + align;
  const std::size_t size = std::max(nextBlock_, need);
  nextBlock_ = std::min<std::size_t>(nextBlock_ * 2, 1 << 20);
  auto* block = static_cast<Block*>(::operator new(size));
  block->next = blocks_;
  blocks_ = block;
  cur_ = reinterpret_cast<char*>(block) + sizeof(Block);
  end_ = reinterpret_cast<char*>(block) + size;
  char* p = alignUp(cur_, align);
  cur_ = p + bytes;
  return p;
}

void Arena::releaseBlocks() {
  while (blocks_) {
    Block* next = blocks_->next;
    ::operator delete(blocks_);
    blocks_ = next;
  }
  nextBlock_ = 16 * 1024;
}

}  // namespace hub::jmes
