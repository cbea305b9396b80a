#include "connectors/http/http_client.h"

#include <curl/curl.h>
#include <strings.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>

#include "connectors/spi/errors.h"
#include "hub/core/numbers.h"

namespace hub::connector::http {
namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

size_t writeBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t writeHeader(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();  // a new response (after 100-continue or a redirect) starts over
    return size * n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
  headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return size * n;
}

struct BodyReader {
  const std::string& body;
  std::size_t sent;
};

size_t readBody(char* buffer, size_t size, size_t n, void* user) {
  auto* r = static_cast<BodyReader*>(user);
  const std::size_t chunk = std::min(size * n, r->body.size() - r->sent);
  std::memcpy(buffer, r->body.data() + r->sent, chunk);
  r->sent += chunk;
  return chunk;
}

// libcurl calls this about once a second, and more often while data moves.
int checkAbort(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* aborted = static_cast<const std::function<bool()>*>(user);
  return (*aborted)() ? 1 : 0;
}

bool sentRequest(CURLcode code) {
  switch (code) {
    case CURLE_SEND_FAIL_REWIND:  // the connection died after the body went out
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct HttpClient::Pool {
  std::mutex mutex;
  std::vector<CURL*> idle;
  ~Pool() {
    for (CURL* h : idle) curl_easy_cleanup(h);
  }
  CURL* take() {
    std::lock_guard lock(mutex);
    if (idle.empty()) return curl_easy_init();
    CURL* h = idle.back();
    idle.pop_back();
    return h;
  }
  void give(CURL* h) {
    std::lock_guard lock(mutex);
    idle.push_back(h);
  }
};

std::string HttpResponse::header(std::string_view name) const {
  std::string out;
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) out = v;
  return out;
}

std::vector<std::string> HttpResponse::headerValues(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) out.push_back(v);
  return out;
}

HttpClient::HttpClient(ClientOptions options, std::function<void(const HttpObservation&)> observe)
    : pool_(std::make_unique<Pool>()), options_(std::move(options)), observe_(std::move(observe)) {
  static CurlGlobal global;
}

HttpClient::HttpClient(ClientOptions options, const ConnectorContext& context)
    : HttpClient(std::move(options), context.observe_http) {
  pace_ = context.pace;
  aborted_ = context.aborted;
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::send(const HttpRequest& req, std::string_view endpoint) {
  if (pace_ && !pace_())
    throw RetryableError("stopping", req.method + " " + std::string(endpoint) + ": the hub is stopping; not sent");
  CURL* h = pool_->take();
  if (!h) throw RetryableError("connection", "cannot create an HTTP handle");
  curl_easy_reset(h);  // keeps the connection cache, drops the previous call's options
  HttpResponse res;
  curl_slist* headers = nullptr;
  for (const auto& [k, v] : req.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  if (req.method == "GET") curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  if (req.method == "HEAD") curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  BodyReader reader{req.body, 0};
  if (req.method == "POST" || req.method == "PATCH") {
    // Fed through a read callback with no seek callback: libcurl silently
    // re-sends a request whose reused connection answered nothing, which for
    // a non-idempotent call doubles whatever the server already did. Unable
    // to rewind, it fails with CURLE_SEND_FAIL_REWIND (ambiguous) instead.
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, readBody);
    curl_easy_setopt(h, CURLOPT_READDATA, &reader);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  } else if (!req.body.empty() || req.method == "PUT") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, writeBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &res.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, writeHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &res.headers);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  if (aborted_) {
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, checkAbort);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &aborted_);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  }

  const auto started = std::chrono::steady_clock::now();
  const CURLcode code = curl_easy_perform(h);
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  pool_->give(h);
  res.status = code == CURLE_OK ? static_cast<int>(status) : 0;
  if (observe_) observe_({req.method, std::string(endpoint), res.status, res.seconds});

  if (code != CURLE_OK) {
    const std::string where = req.method + " " + std::string(endpoint) + ": ";
    switch (code) {
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CERTPROBLEM:
        throw PermanentError("tls", where + "TLS verification failed: " + curl_easy_strerror(code));
      case CURLE_ABORTED_BY_CALLBACK: {
        RetryableError e("aborted", where + "the hub stopped while waiting for the answer");
        e.ambiguous = true;
        throw e;
      }
      case CURLE_OPERATION_TIMEDOUT: {
        RetryableError e("timeout", where + "no answer within " + std::to_string(options_.timeout) + " ms");
        e.ambiguous = true;
        throw e;
      }
      default: {
        RetryableError e(sentRequest(code) ? "connection_reset" : "connection", where + curl_easy_strerror(code));
        e.ambiguous = sentRequest(code);
        throw e;
      }
    }
  }
  return res;
}

Disposition classifyStatus(int status) {
  if (status >= 200 && status < 300) return Disposition::Delivered;
  if (status == 408 || status == 425 || status == 429 || status >= 500) return Disposition::Retry;
  return Disposition::Permanent;
}

std::optional<Millis> parseRetryAfter(std::string_view value, Millis now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (value.empty()) return std::nullopt;
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (const auto seconds = parseSaturating(value, kMaxRetryAfter / 1000)) return *seconds * 1000;
  std::tm tm{};
  const std::string text(value);
  if (!strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) return std::nullopt;
  const time_t at = timegm(&tm);
  if (at == static_cast<time_t>(-1)) return std::nullopt;
  const Millis atMs = std::min<Millis>(static_cast<Millis>(at), (now + kMaxRetryAfter) / 1000) * 1000;
  return atMs > now ? std::min(atMs - now, kMaxRetryAfter) : 0;
}

std::string excerpt(std::string_view body, std::size_t limit) {
  if (body.size() <= limit) return std::string(body);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return std::string(body.substr(0, cut)) + "…";
}

std::string urlEncode(std::string_view text) {
  static constexpr char hexDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hexDigits[c >> 4];
      out += hexDigits[c & 15];
    }
  }
  return out;
}

}  // namespace hub::connector::http
