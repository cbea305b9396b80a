#include "mappings/jmespath/arena.h"

#include <algorithm>

namespace hub::jmes {

void* Arena::grow(std::size_t bytes, std::size_t align) {
  const std::size_t need = sizeof(Block) + bytes + align;
  Block* block;
  std::size_t size;
  if (spare_ && spare_->size >= need) {
    block = spare_;
    size = spare_->size;
    spare_ = nullptr;
  } else {
    size = std::max(nextBlock_, need);
    nextBlock_ = std::min<std::size_t>(nextBlock_ * 2, 1 << 20);
    block = static_cast<Block*>(::operator new(size));
    block->size = size;
  }
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
  if (spare_) ::operator delete(spare_);
  spare_ = nullptr;
  nextBlock_ = 16 * 1024;
}

void Arena::reset() {
  // Blocks grow, so the newest is the largest: keep it, free the others.
  Block* keep = blocks_;
  if (keep) {
    blocks_ = keep->next;
    keep->next = nullptr;
  }
  if (keep && spare_ && spare_->size > keep->size) std::swap(keep, spare_);
  while (blocks_) {
    Block* next = blocks_->next;
    ::operator delete(blocks_);
    blocks_ = next;
  }
  if (keep) {
    if (spare_) ::operator delete(spare_);
    spare_ = keep;
  }
  cur_ = inline_;
  end_ = inline_ + sizeof inline_;
}

}  // namespace hub::jmes
