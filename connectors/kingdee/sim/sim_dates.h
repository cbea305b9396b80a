#pragma once
// Kingdee answers every date field as yyyy-MM-ddTHH:mm:ss (.fff when there are
// milliseconds) in the server's local time, whatever form a client saved it
// in — 2024-05-01, 2024-05-01 08:30:00, 2024/5/1, ISO with a zone — because
// it stores a DateTime, not the text. The simulator renders dates when they
// are saved, so queries, views and filters see what Kingdee would answer.
#include <optional>
#include <string>
#include <string_view>

#include "hub/core/time.h"

namespace hub::connector::kingdee::sim {

// The date fields of the simulated forms (FDate, FModifyDate, ...; any case).
bool isDateField(const std::string& name);

// `utc` as the server renders it, `offsetMinutes` east of UTC.
std::string renderServerDate(Millis utc, int offsetMinutes);

// A saved value in the server's rendering; nullopt when it is no date. Text
// without a zone is server time already.
std::optional<std::string> renderSavedDate(std::string_view text, int offsetMinutes);

}  // namespace hub::connector::kingdee::sim
