// hub token create | list | revoke
#include <ostream>

#include "hub/api/auth.h"
#include "hub/cli/commands.h"
#include "hub/cli/session.h"

namespace hub::cli {
namespace {

int create(const Invocation& inv, Io& io) {
  const auto role = api::parseRole(inv.value("role"));
  if (!role) throw UsageError{"--role must be admin, operator or viewer"};
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  const std::string token = api::newToken();
  const std::string name = inv.value("name", std::string(api::toString(*role)) + "-" + std::to_string(nowMillis() / 1000));
  const auto id = s->store->tokens().create(name, api::toString(*role), api::tokenHash(token), nowMillis());
  s->store->audit().append(cliActor(), "token.create", "token/" + std::to_string(id),
                           nlohmann::json{{"name", name}, {"role", api::toString(*role)}}.dump(), nowMillis());
  io.err << "token " << id << " (" << name << ", " << api::toString(*role)
         << ") created; it is shown only now — store it safely:\n";
  io.out << token << "\n";
  return kOk;
}

int list(const Invocation& inv, Io& io) {
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  io.out << pad("ID", 5) << pad("NAME", 24) << pad("ROLE", 10) << pad("CREATED", 21) << pad("LAST USED", 21) << "REVOKED\n";
  for (const auto& t : s->store->tokens().list())
    io.out << pad(std::to_string(t.id), 5) << pad(t.name, 24) << pad(t.role, 10) << pad(when(t.created_at), 21)
           << pad(when(t.last_used_at), 21) << when(t.revoked_at) << "\n";
  return kOk;
}

int revoke(const Invocation& inv, Io& io) {
  const store::Id id = wholeNumber(inv.args[0], "token id", 1, kLargestId);
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  if (!s->store->tokens().revoke(id, nowMillis())) {
    io.err << "no active token " << id << "\n";
    return kFailure;
  }
  s->store->audit().append(cliActor(), "token.revoke", "token/" + std::to_string(id), "{}", nowMillis());
  io.out << "token " << id << " revoked\n";
  return kOk;
}

}  // namespace

Command tokenCommand() {
  Command c;
  c.name = "token";
  c.summary = "create, list and revoke admin API tokens";
  c.subcommands = {
      leaf("create", "create a token and print it once", "--role admin|operator|viewer [--name NAME]",
           "viewer reads; operator also runs flows, replays and discards dead letters; admin also reloads\n"
           "configuration, manages tokens and reads the audit log.",
           {configOption(), {"role", "ROLE", "admin | operator | viewer"}, {"name", "NAME", "a label for the token"}},
           0, 0, create),
      leaf("list", "list tokens (never their values)", "", "", {configOption()}, 0, 0, list),
      leaf("revoke", "revoke a token at once", "ID", "", {configOption()}, 1, 1, revoke),
  };
  return c;
}

}  // namespace hub::cli
