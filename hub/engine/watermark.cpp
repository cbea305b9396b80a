#include "hub/engine/watermark.h"

#include <nlohmann/json.hpp>

namespace hub::engine {

std::string Watermark::encode() const {
  nlohmann::json j = {{"high", high}, {"high_iso", high ? formatIsoMillis(high) : ""}};
  if (scanning) {
    j["scanning"] = true;
    j["scan_since"] = scan_since;
    j["resume"] = resume;
  }
  return j.dump();
}

Watermark Watermark::decode(const std::optional<std::string>& text) {
  Watermark w;
  if (!text || text->empty()) return w;
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object()) return w;
  w.high = j.value("high", Millis{0});
  w.scanning = j.value("scanning", false);
  w.scan_since = j.value("scan_since", Millis{0});
  w.resume = j.value("resume", "");
  return w;
}

Watermark Watermark::startScan(Millis overlap) const {
  if (scanning) return *this;
  Watermark w = *this;
  w.scanning = true;
  w.scan_since = high > overlap ? high - overlap : 0;
  w.resume.clear();
  return w;
}

}  // namespace hub::engine
