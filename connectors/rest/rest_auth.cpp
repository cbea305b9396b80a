#include "connectors/rest/rest_auth.h"

#include <cctype>

#include "hub/core/digest.h"

namespace hub::connector::rest {

std::string canonicalRequest(std::string_view method, std::string_view pathAndQuery, std::string_view timestamp,
                             std::string_view body) {
  std::string upper(method);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper + "\n" + std::string(pathAndQuery) + "\n" + std::string(timestamp) + "\n" + digest::sha256Hex(body);
}

std::string pathAndQuery(std::string_view url) {
  auto scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  const auto slash = rest.find_first_of("/?");
  if (slash == std::string_view::npos) return "/";
  std::string out(rest.substr(slash));
  if (out.front() == '?') out.insert(out.begin(), '/');
  const auto hash = out.find('#');
  return hash == std::string::npos ? out : out.substr(0, hash);
}

void authorize(const Settings& settings, http::HttpRequest& request, Millis now) {
  for (const auto& [name, value] : settings.headers) request.headers.emplace_back(name, value);
  const Auth& auth = settings.auth;
  switch (auth.kind) {
    case AuthKind::None:
      break;
    case AuthKind::Bearer:
      request.headers.emplace_back("Authorization", "Bearer " + auth.token);
      break;
    case AuthKind::Basic:
      request.headers.emplace_back("Authorization", "Basic " + digest::base64(auth.username + ":" + auth.password));
      break;
    case AuthKind::ApiKey:
      request.headers.emplace_back(auth.header, auth.value);
      break;
    case AuthKind::Hmac: {
      const auto& h = auth.hmac;
      const std::string stamp = formatInstant(now, h.timestamp_format);
      const std::string mac =
          digest::hmacSha256(h.secret, canonicalRequest(request.method, pathAndQuery(request.url), stamp, request.body));
      if (!h.key_id.empty()) request.headers.emplace_back(h.key_id_header, h.key_id);
      request.headers.emplace_back(h.timestamp_header, stamp);
      request.headers.emplace_back(h.signature_header,
                                   h.signature_prefix + (h.base64_signature ? digest::base64(mac) : digest::hex(mac)));
      break;
    }
  }
}

}  // namespace hub::connector::rest
