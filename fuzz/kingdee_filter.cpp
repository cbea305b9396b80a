// Kingdee FilterString (the simulator's parser in connectors/kingdee/sim):
// parsed, and when it parses, matched against rows with the value kinds the
// simulator's books hold (text, Chinese text, numbers, dates, base-data
// references, null). Checks: no crash and no exception but FilterError;
// for text that is valid UTF-8 (all a JSON request can carry), the error
// message is valid UTF-8 with no control characters, because the simulator
// answers it inside a JSON body.
#include <nlohmann/json.hpp>

#include "connectors/kingdee/sim/sim_filter.h"
#include "fuzz/fuzz_check.h"

namespace {

using nlohmann::json;
using hub::connector::kingdee::sim::Filter;
using hub::connector::kingdee::sim::FilterError;

const std::vector<json>& rows() {
  static const std::vector<json> rs = {
      {{"FNumber", "C001"}, {"FModifyDate", "2024-05-01T09:30:00.5"}, {"FID", 100007}, {"FCustId.FNumber", "KH01"},
       {"FName", "O'Neil 贸易"}, {"FQty", 3.5}, {"FDocumentStatus", "C"}, {"FForbidStatus", "A"}},
      {{"FNumber", ""}, {"FModifyDate", "2024-13-45 99:99:99"}, {"FID", -1}, {"FName", nullptr}, {"FQty", 1e308},
       {"FIsActive", true}, {"FAmount", "12.50"}},
  };
  return rs;
}

bool validUtf8(std::string_view s) {
  try {
    (void)json(std::string(s)).dump();
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(hub::fuzz::text(data, size));
  Filter filter;
  try {
    filter = Filter::parse(text);
  } catch (const FilterError& e) {
    const std::string message = e.what();
    FUZZ_CHECK(!message.empty());
    if (validUtf8(text)) {
      FUZZ_CHECK(validUtf8(message));
      for (char c : message) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20);
    }
    return 0;
  }
  (void)filter.fields();
  for (const auto& row : rows()) {
    (void)filter.matches([&](const std::string& key) { return row.contains(key) ? row[key] : json(); });
  }
  return 0;
}
