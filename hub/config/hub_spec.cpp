// The keys of hub.yaml that belong to the hub itself: the one place for each
// setting's default and range (the loader reads them from here, the engine
// from what the loader built). Connector instance settings and flow options
// come from each connector type's own spec.
#include "hub/config/hub_config.h"

namespace hub::config {
using connector::Field;
using nlohmann::json;

namespace {
Field webhookSpec() {
  return Field::object("webhook", {
      Field::oneOf("mode", {"payload", "notify"}).byDefault("payload")
          .describe("payload: the body's records are queued before the 202; notify: the call starts a pull"),
      Field::string("record")
          .describe("payload mode: where the record, or an array of records, sits in the body, as a dotted path or "
                    "JSON pointer (Stripe events: data.object); default: the body's records or data array, or the "
                    "body itself"),
      Field::oneOf("scheme", {"standard", "hmac", "stripe", "basic"}).byDefault("standard")
          .describe("standard: Standard Webhooks headers; hmac: one header carrying prefix + hex HMAC-SHA256 of the body "
                    "(GitHub); stripe: Stripe-Signature t=...,v1=...; basic: HTTP Basic logon, for senders that "
                    "cannot sign (SAP's XML-HTTP port); use it over TLS only"),
      Field::string("secret").secretValue()
          .describe("signing secret: whsec_<base64 key> for standard; the text as given for hmac and stripe; "
                    "user:password for basic"),
      Field::list("secrets", Field::string("secret").secretValue()).describe("several secrets during rotation; any may sign"),
      Field::string("header").byDefault("X-Hub-Signature-256").describe("hmac scheme: signature header"),
      Field::string("prefix").byDefault("sha256=").describe("hmac scheme: text before the hex signature"),
      Field::string("id_header").byDefault("X-Delivery-Id")
          .describe("hmac scheme: header with the delivery id used against replays (GitHub: X-GitHub-Delivery); "
                    "without it the body's SHA-256 is the id"),
      Field::duration("tolerance").byDefault(5 * kMinuteMs).range(kSecondMs, kDayMs)
          .describe("standard and stripe schemes: how far the signed timestamp may lie in the past or future"),
  });
}

Field flowSpec() {
  return Field::object("flow", {
      Field::string("name").require().describe("unique flow name"),
      Field::string("entity").describe("canonical entity moved (customer, product, order, stock, invoice); namespace of cross-references"),
      Field::string("description"),
      Field::object("source", {
          Field::string("connector").require().describe("connector instance to pull from"),
          Field::string("entity").require().describe("the source system's object (BD_Customer, orders, ...)"),
          Field::any("options").describe("pull options of the connector type"),
          Field::integer("page_size").byDefault(100).range(1, 10000).describe("records per pulled page"),
          Field::duration("overlap").byDefault(5 * kMinuteMs).range(0, 30 * kDayMs)
              .describe("re-read window behind the watermark"),
      }).require(),
      Field::list("targets", Field::object("target", {
          Field::string("name").describe("defaults to <connector>.<entity>"),
          Field::string("connector").require(),
          Field::string("entity").require().describe("the target system's object"),
          Field::string("mapping").describe("mapping name in mapping_dir; absent = records pass unchanged"),
          Field::any("options").describe("push options of the connector type"),
          Field::object("when", {
              Field::string("field").require().describe("dotted path or JSON pointer into the source record"),
              Field::list("in", Field::string("value")).require().describe("values that route the record here"),
          }).describe("route: only records whose field holds one of these values go to this target; the others "
                      "are skipped for it (several targets of one system can split a flow between them)"),
      })).require(),
      Field::list("triggers", Field::object("trigger", {
          Field::string("schedule").describe("cron expression, 5 or 6 fields"),
          Field::string("timezone").describe("IANA zone of the schedule; default: the hub's timezone"),
          Field::duration("interval").range(100, 366 * kDayMs).describe("fixed interval"),
          Field::duration("jitter").byDefault(0).range(0, kDayMs).describe("random delay added to each fire time"),
          webhookSpec(),
      })).byDefault(json::array()),
      Field::integer("batch_size").byDefault(50).range(1, 1000).describe("records per delivery call to a target"),
      Field::object("retry", {
          Field::duration("base").byDefault(kSecondMs).range(1, kDayMs).describe("delay before the first retry"),
          Field::number("factor").byDefault(2.0).range(1, 10).describe("each retry waits this many times longer"),
          Field::duration("cap").byDefault(10 * kMinuteMs).range(1, 30 * kDayMs).describe("longest delay"),
          Field::integer("max_attempts").byDefault(10).range(1, 1000).describe("attempts before a dead letter"),
          Field::number("jitter").byDefault(1.0).range(0, 1).describe("1 = full jitter; 0.1 = ±10 %; 0 = none"),
      }).byDefault(json::object()),
      Field::duration("park_timeout").byDefault(kDayMs).range(1, 366 * kDayMs)
          .describe("how long a record waits for a referenced record before it is dead-lettered"),
      Field::object("confirmation", {
          Field::duration("timeout").byDefault(kHourMs).range(kSecondMs, 30 * kDayMs)
              .describe("a record the target accepted for later processing (an IDoc, an e-invoice request) "
                        "is dead-lettered when it is not confirmed within this"),
          Field::duration("interval").byDefault(30 * kSecondMs).range(100, kDayMs)
              .describe("how often the target is asked how such a record ended"),
      }).byDefault(json::object()),
      Field::boolean("paused").byDefault(false),
      Field::oneOf("on_overlap", {"skip", "queue"}).byDefault("skip"),
      Field::oneOf("misfire", {"run_once", "skip"}).byDefault("run_once"),
  });
}
}  // namespace

const connector::SettingsSpec& connectorBaseSpec() {
  static const connector::SettingsSpec spec = {
      Field::string("name").require().describe("instance name, used by flows and as the xref system"),
      Field::string("type").require().describe("connector type"),
      Field::object("rate_limit", {
          Field::number("per_second").require().range(0.01, 100000).describe("calls per second to this system"),
          Field::number("burst").byDefault(1).range(1, 10000).describe("calls allowed at once after a quiet spell"),
      }),
      Field::object("circuit_breaker", {
          Field::integer("failures").byDefault(5).range(1, 1000).describe("consecutive failed calls that open the circuit"),
          Field::duration("open_for").byDefault(30 * kSecondMs).range(1, kDayMs).describe("pause before a probe call"),
      }).byDefault(json::object()),
  };
  return spec;
}

const connector::SettingsSpec& hubSpec() {
  static const connector::SettingsSpec spec = {
      Field::object("server", {
          Field::string("listen").byDefault("127.0.0.1:8080").describe("host:port of the HTTP listener"),
          Field::integer("max_body_bytes").byDefault(1 << 20).range(1024, 1 << 30).describe("larger requests get 413"),
          Field::duration("shutdown_deadline").byDefault(10 * kSecondMs).range(0, kHourMs)
              .describe("SIGTERM: how long in-flight work may take to finish"),
          Field::integer("threads").byDefault(8).range(1, 256).describe("HTTP worker threads"),
          Field::object("tls", {
              Field::string("listen").require(),
              Field::string("cert").require(),
              Field::string("key").require(),
          }),
      }).byDefault(json::object()),
      Field::object("store", {
          Field::oneOf("driver", {"sqlite", "postgresql"}).byDefault("sqlite"),
          Field::string("path").byDefault("data/hub.db"),
          Field::oneOf("synchronous", {"full", "normal"}).byDefault("full"),
          Field::duration("busy_timeout").byDefault(5 * kSecondMs).range(0, 10 * kMinuteMs)
              .describe("how long a write waits for another process's lock"),
          Field::string("url").secretValue()
              .describe("postgresql: libpq URI, e.g. postgresql://hub@db:5432/hub?sslmode=verify-full"),
          Field::string("password").secretValue().describe("postgresql: kept apart from the URL, e.g. ${file:...}"),
          Field::integer("pool").byDefault(8).range(1, 256).describe("postgresql: connections per hub process"),
          Field::duration("statement_timeout").byDefault(30 * kSecondMs).range(0, kHourMs)
              .describe("postgresql: a statement running longer is cancelled (0: never)"),
          Field::duration("connect_timeout").byDefault(10 * kSecondMs).range(kSecondMs, 5 * kMinuteMs)
              .describe("postgresql: how long opening a connection may take"),
      }).byDefault(json::object()),
      Field::object("cluster", {
          Field::duration("leader_ttl").byDefault(15 * kSecondMs).range(kSecondMs, 10 * kMinuteMs)
              .describe("hubs sharing a store: the schedule leader's lease; another takes over this long after it died"),
      }).byDefault(json::object()),
      Field::object("engine", {
          Field::integer("workers").byDefault(2).range(1, 64).describe("delivery lanes"),
          Field::duration("lease_ttl").byDefault(60 * kSecondMs).range(kSecondMs, kDayMs)
              .describe("a crashed worker's rows are picked up after this"),
          Field::duration("poll_interval").byDefault(500).range(10, kHourMs)
              .describe("how often an idle lane looks for work others queued"),
          Field::duration("retention").byDefault(7 * kDayMs).range(kHourMs, 3660 * kDayMs)
              .describe("delivered queue rows are kept this long"),
      }).byDefault(json::object()),
      Field::string("mapping_dir").byDefault("mappings"),
      Field::string("timezone").byDefault("Asia/Shanghai"),
      Field::object("log", {
          Field::oneOf("level", {"debug", "info", "warn", "error"}).byDefault("info"),
      }).byDefault(json::object()),
      Field::list("connectors", Field::any("connector")).byDefault(json::array()),
      Field::list("flows", flowSpec()).byDefault(json::array()),
  };
  return spec;
}

}  // namespace hub::config
