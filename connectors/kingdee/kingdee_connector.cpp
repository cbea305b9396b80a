#include "connectors/kingdee/kingdee_connector.h"

#include <algorithm>

#include "connectors/http/client_settings.h"
#include "connectors/kingdee/kingdee_query.h"
#include "connectors/kingdee/kingdee_session.h"
#include "connectors/kingdee/kingdee_signing.h"
#include "connectors/kingdee/kingdee_sink.h"
#include "connectors/spi/errors.h"
#include "hub/core/time.h"

namespace hub::connector::kingdee {

namespace {

using nlohmann::json;

SettingsSpec settingsSpec() {
  return {
      Field::string("base_url").require().describe(
          "site root with the virtual directory, e.g. https://erp.example.cn/k3cloud/"),
      Field::oneOf("auth", {"validate_user", "login_by_sign", "signed_headers"})
          .byDefault("validate_user")
          .describe("validate_user: session login with password; login_by_sign: session login signed with "
                    "app_secret; signed_headers: no session, every call signed (X-Api-*/X-Kd-* headers)"),
      Field::string("acct_id").require().describe("data centre id (数据中心 ID, acctID)"),
      Field::string("username").require().describe("integration user"),
      Field::string("password").secretValue().describe("validate_user only"),
      Field::string("app_id").describe("third-party app id (第三方系统登录授权), login_by_sign and signed_headers"),
      Field::string("app_secret").secretValue().describe("app secret, login_by_sign and signed_headers"),
      Field::integer("lcid").byDefault(2052).range(1, 65535).describe("2052 zh-CN, 1033 en-US, 3076 zh-TW"),
      Field::string("org_number").byDefault("0").describe("organisation number sent in X-Kd-Appdata; 0 = default"),
      Field::string("server_time_zone")
          .byDefault("Asia/Shanghai")
          .describe("zone Kingdee renders dates in (IANA name or +08:00)"),
      http::connectTimeoutField(),
      http::timeoutField(),
      Field::boolean("verify_tls").byDefault(true),
      Field::string("ca_file").describe("CA bundle for a private certificate authority"),
      Field::integer("page_limit").byDefault(2000).range(1, 10000).describe("most rows per ExecuteBillQuery (server max 2000 unless raised)"),
  };
}

SettingsSpec sourceSpec() {
  return {
      Field::list("field_keys", Field::string("key"))
          .describe("header FieldKeys instead of the form's defaults (dotted references like FCustId.FNumber)"),
      Field::list("entry_field_keys", Field::string("key"))
          .describe("entry-level FieldKeys; rows of one bill fold into one record under the entry name"),
      Field::string("filter").describe("extra FilterString ANDed to the modify-date filter"),
      Field::string("modify_field").describe("field the incremental filter uses (default FModifyDate)"),
  };
}

SettingsSpec sinkSpec() {
  return {
      Field::oneOf("audit", {"none", "auto", "explicit"})
          .byDefault("none")
          .describe("none: save only; auto: IsAutoSubmitAndAudit; explicit: Submit and Audit calls after saving"),
      Field::string("external_number_field")
          .describe("bill field carrying the DMS number, looked up before re-creating (default FBillNo / FNumber)"),
      Field::boolean("fill_external_number").byDefault(true).describe("set that field from the record key when missing"),
      Field::boolean("delete_missing_entries").byDefault(true).describe("IsDeleteEntry on updates"),
      Field::boolean("verify_base_data").byDefault(false).describe("IsVerifyBaseDataField"),
      Field::list("need_update_fields", Field::string("key")).describe("NeedUpDateFields for updates"),
      Field::integer("max_batch").byDefault(100).range(1, 1000).describe("records per BatchSave"),
      Field::boolean("always_look_up")
          .byDefault(false)
          .describe("look every create up by external number first, not only retries after an unanswered call"),
      Field::oneOf("save_mode", {"direct", "poll"})
          .byDefault("direct")
          .describe("direct: Save/BatchSave answer at once; poll: BatchSave runs as a server task (beginmethod "
                    "BeginQueryImpl) and its answer is polled with QueryAsyncResult, as the SDKs' BatchSaveQuery"),
      Field::integer("max_polls")
          .byDefault(30)
          .range(1, 600)
          .describe("poll mode: most QueryAsyncResult calls per save; when they run out the outcome is "
                    "unknown and the retry looks the bills up by external number"),
      Field::duration("poll_interval").byDefault(1000).range(10, kMinuteMs)
          .describe("poll mode: wait before each QueryAsyncResult"),
  };
}

// A sink option's integer, refused outside its range in sinkSpec(): the sink
// does not open. hub.yaml is checked against the same range when it is read;
// this holds for options that reach openSink() another way.
long long inRange(const json& options, const std::string& key) {
  const auto spec = sinkSpec();
  const auto f = std::find_if(spec.begin(), spec.end(), [&](const Field& field) { return field.name == key; });
  const json v = options.value(key, *f->default_value);
  const auto least = static_cast<long long>(f->bounds->min), most = static_cast<long long>(f->bounds->max);
  const long long n = v.is_number_integer() ? v.get<long long>() : least - 1;
  if (n < least || n > most)
    throw PermanentError("config", key + " must be between " + std::to_string(least) + " and " +
                                       std::to_string(most) + " (is " + v.dump() + ")");
  return n;
}

std::vector<std::string> strings(const json& v) {
  std::vector<std::string> out;
  if (v.is_array())
    for (const auto& s : v)
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

std::vector<SettingsIssue> validateSettings(const json& s) {
  std::vector<SettingsIssue> issues;
  const std::string auth = s.value("auth", "validate_user");
  auto need = [&](const char* key, const char* why) {
    if (!s.contains(key) || !s[key].is_string() || s[key].get<std::string>().empty())
      issues.push_back({std::string("/") + key, std::string(key) + " is required " + why});
  };
  if (auth == "validate_user") need("password", "when auth is validate_user");
  if (auth == "login_by_sign" || auth == "signed_headers") {
    need("app_id", ("when auth is " + auth).c_str());
    need("app_secret", ("when auth is " + auth).c_str());
  }
  if (auth == "signed_headers" && s.contains("app_id") && s["app_id"].is_string() &&
      !gatewaySecret(s["app_id"].get<std::string>()))
    issues.push_back({"/app_id", "app_id must look like <clientId>_<32 base64 characters> for signed_headers"});
  const std::string url = s.value("base_url", "");
  if (const auto problem = http::baseUrlProblem(url)) issues.push_back({"/base_url", "base_url " + *problem});
  const std::string zone = s.value("server_time_zone", "Asia/Shanghai");
  if (!ServerZone::known(zone))
    issues.push_back({"/server_time_zone", "unknown time zone '" + zone + "' (use an IANA name like Asia/Shanghai)"});
  return issues;
}

class KingdeeConnector final : public Connector {
 public:
  KingdeeConnector(const ConnectorContext& ctx, const json& s) {
    SessionSettings ss;
    ss.base_url = s.value("base_url", "");
    const std::string auth = s.value("auth", "validate_user");
    ss.auth = auth == "login_by_sign"    ? AuthMode::LoginBySign
              : auth == "signed_headers" ? AuthMode::SignedHeaders
                                         : AuthMode::ValidateUser;
    ss.acct_id = s.value("acct_id", "");
    ss.username = s.value("username", "");
    ss.password = s.value("password", "");
    ss.app_id = s.value("app_id", "");
    ss.app_secret = s.value("app_secret", "");
    ss.lcid = s.value("lcid", 2052);
    ss.org_number = s.value("org_number", "0");
    ss.http.connect_timeout = s.value("connect_timeout", 5000);
    ss.http.timeout = s.value("timeout", 30000);
    ss.http.verify_tls = s.value("verify_tls", true);
    ss.http.ca_file = s.value("ca_file", "");
    ss.http.user_agent = "dms-integration-hub/0.1 (kingdee)";
    page_limit_ = s.value("page_limit", 2000);
    zone_ = std::make_shared<ServerZone>(s.value("server_time_zone", "Asia/Shanghai"));
    session_ = std::make_shared<KingdeeSession>(std::move(ss), ctx);
  }

  std::unique_ptr<Source> openSource(const std::string& entity, const json& options) override {
    QueryOptions q;
    q.form = profile(entity, false);
    if (auto keys = strings(options.value("field_keys", json())); !keys.empty()) q.form.header_keys = keys;
    if (options.contains("entry_field_keys")) q.form.entry_keys = strings(options["entry_field_keys"]);
    if (options.contains("modify_field")) q.form.modify_field = options.value("modify_field", q.form.modify_field);
    if (!q.form.entry_keys.empty() && q.form.entry_name.empty()) q.form.entry_name = "Entries";
    q.extra_filter = options.value("filter", "");
    q.page_limit = page_limit_;
    return std::make_unique<BillQuery>(session_, std::move(q), zone_);
  }

  std::unique_ptr<Sink> openSink(const std::string& entity, const json& options) override {
    SinkOptions o;
    o.form = profile(entity, true);
    const std::string audit = options.value("audit", "none");
    o.audit = audit == "auto" ? AuditMode::Auto : audit == "explicit" ? AuditMode::Explicit : AuditMode::None;
    o.external_number_field = options.value("external_number_field", o.form.key_fields.front());
    o.fill_external_number = options.value("fill_external_number", true);
    o.delete_missing_entries = options.value("delete_missing_entries", true);
    o.verify_base_data = options.value("verify_base_data", false);
    o.need_update_fields = strings(options.value("need_update_fields", json()));
    o.max_batch = static_cast<std::size_t>(std::max(1, options.value("max_batch", 100)));
    o.always_look_up = options.value("always_look_up", false);
    o.save_mode = options.value("save_mode", "direct") == "poll" ? SaveMode::Poll : SaveMode::Direct;
    o.polling.max_polls = static_cast<int>(inRange(options, "max_polls"));
    o.polling.interval = inRange(options, "poll_interval");
    return std::make_unique<BillSink>(session_, std::move(o));
  }

 private:
  static FormProfile profile(const std::string& entity, bool forWriting) {
    const FormProfile* f = findForm(entity);
    if (!f) throw PermanentError("config", "kingdee has no form '" + entity + "'");
    if (forWriting && !f->writable) throw PermanentError("config", "kingdee form " + f->form_id + " is read only");
    return *f;
  }
  std::shared_ptr<KingdeeSession> session_;
  std::shared_ptr<const ServerZone> zone_;
  int page_limit_ = 2000;
};

}  // namespace

ConnectorType connectorType() {
  ConnectorType t;
  t.name = "kingdee";
  t.summary = "Kingdee K/3 Cloud (金蝶云星空) WebAPI: ExecuteBillQuery pulls, Save/BatchSave pushes";
  t.settings = settingsSpec();
  t.source_options = sourceSpec();
  t.sink_options = sinkSpec();
  t.source_entities = formIds(false);
  t.sink_entities = formIds(true);
  t.validate = validateSettings;
  t.create = [](const ConnectorContext& ctx, const json& s) -> std::unique_ptr<Connector> {
    return std::make_unique<KingdeeConnector>(ctx, s);
  };
  return t;
}

}  // namespace hub::connector::kingdee
