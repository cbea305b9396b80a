#pragma once
// What Kingdee's answers mean for the engine, decided in one place and
// table-tested. Kingdee answers HTTP 200 for business errors and puts them in
// Result.ResponseStatus (wrapped as [[{"Result":...}]] by ExecuteBillQuery).
// MsgCode (the manual's 常见错误代码) 1 上下文丢失 means the session was lost:
// log in again and repeat; 2 没有权限 that the credentials or the signature
// were refused, which no retry fixes.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/spi/record.h"

namespace hub::connector::kingdee {

struct StatusError {
  std::string field;
  std::string message;
  int dindex = -1;  // -1: not about one model of the batch
};

struct SuccessEntity {
  std::string id;
  std::string number;
  int dindex = -1;
};

struct ResponseStatus {
  bool is_success = false;
  int error_code = 0;
  int msg_code = 0;
  std::vector<StatusError> errors;
  std::vector<SuccessEntity> successes;

  bool sessionLost() const { return msg_code == 1; }
  bool authRefused() const { return msg_code == 2; }
  // Community-reported, not in Kingdee's manual; retrying is the safe reading.
  bool rateLimited() const { return msg_code == 14; }
  // "FCustId: 客户不存在; ..." — the target's own words for support staff.
  std::string describe() const;
};

// The ResponseStatus of a DynamicFormService answer or of a wrapped query
// error; nullopt when the body carries none (a plain query result).
std::optional<ResponseStatus> findResponseStatus(const nlohmann::json& body);

// How a whole answer classifies before per-record decoding.
struct Verdict {
  Disposition disposition = Disposition::Delivered;  // Delivered: the call worked, decode it
  std::string error_type;
  std::string message;
  int http_status = 0;
  std::optional<Millis> retry_after;
  std::string excerpt;
};

// `retryAfter` is the header's value; `body` the raw answer. Session loss is
// Retry (the session layer re-logs in once before this verdict is final);
// refused authentication is Permanent "auth"; a ResponseStatus error that is
// not about single records is Permanent.
Verdict classifyAnswer(int httpStatus, std::string_view retryAfter, std::string_view body, Millis now);
// The same for an answer already parsed (a task's Result); `v` carries what
// is known of the exchange.
Verdict classifyDocument(const nlohmann::json& doc, Verdict v = {});

// Throws the SPI's typed error for a non-Delivered verdict.
[[noreturn]] void throwVerdict(const Verdict& v, std::string_view endpoint);

// Parses a body the verdict accepted (never throws for those).
nlohmann::json parseAnswer(std::string_view body);

}  // namespace hub::connector::kingdee
