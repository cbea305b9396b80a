#pragma once
// Kingdee stores and compares dates in the server's local time without a
// zone ("2024-05-01T09:30:00.123" in answers, '2024-05-01 09:30:00' in
// filters); the hub works in UTC milliseconds. A ServerZone converts both
// ways using the OS time-zone database (DST-aware, though China has none).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hub::connector::kingdee {

class ServerZone {
 public:
  // An IANA name ("Asia/Shanghai") or a fixed offset ("+08:00", "UTC").
  // Throws std::invalid_argument for names the OS database does not know.
  explicit ServerZone(const std::string& name = "Asia/Shanghai");

  static bool known(const std::string& name);

  // 'yyyy-MM-dd HH:mm:ss' plus '.fff' when the instant has milliseconds, so a
  // filter bound is exact.
  std::string filterLiteral(std::int64_t utcMillis) const;
  // "yyyy-MM-ddTHH:mm:ss[.fff]" as the server renders dates in JSON.
  std::string jsonValue(std::int64_t utcMillis) const;
  // Reads either form (also "yyyy-MM-dd"); nullopt when it is not a date.
  std::optional<std::int64_t> parse(std::string_view local) const;

  const std::string& name() const { return name_; }

 private:
  std::string format(std::int64_t utcMillis, char separator) const;
  std::int64_t offsetAt(std::int64_t utcMillis) const;           // ms east of UTC
  std::int64_t offsetForLocal(std::int64_t localMillis) const;
  std::string name_;
  const void* zone_ = nullptr;  // date::time_zone, when not a fixed offset
  std::int64_t fixed_offset_ = 0;
};

}  // namespace hub::connector::kingdee
