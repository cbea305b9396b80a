#pragma once
// Pratt parser for the jmespath.org grammar (internal; use compile()).
#include <memory>
#include <string_view>

#include <tl/expected.hpp>

#include "mappings/jmespath/ast.h"
#include "mappings/jmespath/error.h"

namespace hub::jmes {

tl::expected<std::unique_ptr<Node>, Error> parse(std::string_view text);

}  // namespace hub::jmes
