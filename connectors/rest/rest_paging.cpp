#include "connectors/rest/rest_paging.h"

#include "connectors/spi/errors.h"

namespace hub::connector::rest {
namespace {

using nlohmann::json;

json resumeState(const std::string& resume) {
  if (resume.empty()) return json::object();
  json state = json::parse(resume, nullptr, false);
  if (!state.is_object()) throw PermanentError("resume", "unreadable resume position: " + http::excerpt(resume, 80));
  return state;
}

[[noreturn]] void malformed(const http::HttpResponse& response, const std::string& why) {
  RetryableError e("malformed_body", why, response.status);
  e.response_excerpt = http::excerpt(response.body);
  throw e;
}

const json& recordsOf(const SourceOptions& options, const json& body, const http::HttpResponse& response) {
  if (!options.records.empty()) {
    const json* at = findPath(body, options.records);
    if (!at || !at->is_array()) malformed(response, "answer has no array at '" + options.records + "'");
    return *at;
  }
  if (body.is_array()) return body;
  if (body.is_object() && body.contains("data") && body["data"].is_array()) return body["data"];
  malformed(response, "answer is neither an array nor an object with a `data` array");
}

}  // namespace

std::string withQuery(std::string url, const std::vector<std::pair<std::string, std::string>>& params) {
  for (const auto& [name, value] : params) {
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += http::urlEncode(name) + "=" + http::urlEncode(value);
  }
  return url;
}

void throwForStatus(const http::HttpResponse& response, const std::string& what, Millis now) {
  const std::string type = "http_" + std::to_string(response.status);
  const std::string message = what + " answered HTTP " + std::to_string(response.status);
  if (http::classifyStatus(response.status) == Disposition::Retry) {
    RetryableError e(type, message, response.status);
    e.retry_after_ms = http::parseRetryAfter(response.header("Retry-After"), now);
    e.response_excerpt = http::excerpt(response.body);
    throw e;
  }
  PermanentError e(response.status == 401 || response.status == 403 ? "auth" : type, message, response.status);
  e.response_excerpt = http::excerpt(response.body);
  throw e;
}

http::HttpRequest encodePageRequest(const Settings& settings, const SourceOptions& options, const ScanRequest& scan) {
  const json state = resumeState(scan.resume);
  std::vector<std::pair<std::string, std::string>> params(options.query.begin(), options.query.end());
  if (!options.updated_since_param.empty() && scan.since > 0)
    params.emplace_back(options.updated_since_param, formatInstant(scan.since, options.updated_since_format));
  const std::string size = std::to_string(scan.page_size);
  switch (options.paging) {
    case Paging::None:
      break;
    case Paging::Page:
      params.emplace_back(options.page_param, std::to_string(state.value("page", options.first_page)));
      params.emplace_back(options.size_param, size);
      break;
    case Paging::Offset:
      params.emplace_back(options.offset_param, std::to_string(state.value("offset", 0LL)));
      params.emplace_back(options.limit_param, size);
      break;
    case Paging::Cursor:
      if (const std::string cursor = state.value("cursor", std::string()); !cursor.empty())
        params.emplace_back(options.cursor_param, cursor);
      params.emplace_back(options.size_param, size);
      break;
  }
  http::HttpRequest req;
  req.method = "GET";
  req.url = withQuery(settings.base_url + options.path, params);
  req.headers.emplace_back("Accept", "application/json");
  return req;
}

Page decodePage(const SourceOptions& options, const ScanRequest& scan, const http::HttpResponse& response,
                Millis now) {
  if (http::classifyStatus(response.status) != Disposition::Delivered) throwForStatus(response, "GET " + options.path, now);
  const json body = json::parse(response.body, nullptr, false);
  if (body.is_discarded()) malformed(response, "GET " + options.path + " answered a body that is not JSON");
  const json& items = recordsOf(options, body, response);

  Page page;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json& item = items[i];
    Record r;
    r.payload = item;
    const json* key = item.is_object() ? findPath(item, options.key) : nullptr;
    r.key = key ? keyText(*key) : std::string();
    if (!options.updated_at.empty() && item.is_object())
      if (const json* at = findPath(item, options.updated_at))
        r.updated_at = readInstant(*at, options.updated_at_format, options.updated_at_zone).value_or(0);
    if (r.key.empty()) {
      r.key = options.path + "#" + std::to_string(i);
      r.problem = item.is_object() ? "record has no '" + options.key + "' key" : "record is not a JSON object";
    }
    if (r.updated_at > 0 && r.updated_at < scan.since) continue;
    page.records.push_back(std::move(r));
  }

  const json state = resumeState(scan.resume);
  const auto full = items.size() >= scan.page_size && !items.empty();
  page.done = true;
  switch (options.paging) {
    case Paging::None:
      break;
    case Paging::Page:
      if (full) page.resume = json{{"page", state.value("page", options.first_page) + 1}}.dump();
      break;
    case Paging::Offset:
      if (full)
        page.resume = json{{"offset", state.value("offset", 0LL) + static_cast<long long>(items.size())}}.dump();
      break;
    case Paging::Cursor: {
      const json* next = findPath(body, options.next_cursor);
      const std::string cursor = next ? (next->is_string() ? next->get<std::string>() : keyText(*next)) : "";
      if (!items.empty() && !cursor.empty() && cursor != state.value("cursor", std::string()))
        page.resume = json{{"cursor", cursor}}.dump();
      break;
    }
  }
  page.done = page.resume.empty();
  return page;
}

}  // namespace hub::connector::rest
